using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;

namespace HpSearch.Persistence.Tests.Model;

/// <summary>A tracked row's status changes only by MoveTo, which the Lifecycle checks.</summary>
public sealed class StatusMoveTests
{
    private static Trial NewTrial() => new() { ParamsJson = "{}" };

    [Fact]
    public void NewRows_StartQueued()
    {
        Assert.Equal(TrialStatus.Queued, NewTrial().Status);
        Assert.Equal(ExperimentStatus.Queued, new Experiment
        {
            Name = "n", SpecJson = "{}", Strategy = "random", Trainer = "builtin", Dataset = "d", Pool = "cpu", ObjectiveMetric = "m",
        }.Status);
    }

    [Fact]
    public void Trial_MoveTo_RefusesRestartingAFinishedTrial()
    {
        var t = NewTrial();
        t.MoveTo(TrialStatus.Running);
        t.MoveTo(TrialStatus.Diverged);
        Assert.Throws<IllegalMoveException>(() => t.MoveTo(TrialStatus.Running));
        Assert.Equal(TrialStatus.Diverged, t.Status);
    }

    [Fact]
    public void Trial_MoveTo_RefusesCompletingATrialThatNeverRan()
    {
        var t = NewTrial();
        Assert.Throws<IllegalMoveException>(() => t.MoveTo(TrialStatus.Completed));
        Assert.Equal(TrialStatus.Queued, t.Status);
    }

    [Fact]
    public void Experiment_MoveTo_RefusesAFinishedExperimentEndingDifferentlyOrQueueingAgain_ButReopensIt()
    {
        var e = new Experiment { Name = "n", SpecJson = "{}", Strategy = "random", Trainer = "builtin", Dataset = "d", Pool = "cpu", ObjectiveMetric = "m" };
        e.MoveTo(ExperimentStatus.Cancelled);
        Assert.Throws<IllegalMoveException>(() => e.MoveTo(ExperimentStatus.Completed));
        Assert.Throws<IllegalMoveException>(() => e.MoveTo(ExperimentStatus.Queued));
        Assert.Equal(ExperimentStatus.Cancelled, e.Status);
        // A resume reopens it (docs/decisions/0021).
        e.MoveTo(ExperimentStatus.Running);
        Assert.Equal(ExperimentStatus.Running, e.Status);
    }
}
