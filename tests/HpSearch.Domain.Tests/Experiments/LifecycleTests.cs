using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.Experiments;

public class LifecycleTests
{
    [Theory]
    [InlineData(TrialStatus.Queued, TrialStatus.Running, true)]
    [InlineData(TrialStatus.Queued, TrialStatus.Cancelled, true)]
    [InlineData(TrialStatus.Running, TrialStatus.Completed, true)]
    [InlineData(TrialStatus.Running, TrialStatus.Pruned, true)]
    [InlineData(TrialStatus.Running, TrialStatus.Diverged, true)]
    [InlineData(TrialStatus.Running, TrialStatus.Queued, true)]
    [InlineData(TrialStatus.Queued, TrialStatus.Completed, false)]
    [InlineData(TrialStatus.Completed, TrialStatus.Running, false)]
    [InlineData(TrialStatus.Pruned, TrialStatus.Completed, false)]
    [InlineData(TrialStatus.Cancelled, TrialStatus.Queued, true)]
    [InlineData(TrialStatus.Failed, TrialStatus.Queued, true)]
    [InlineData(TrialStatus.Completed, TrialStatus.Queued, false)]
    [InlineData(TrialStatus.Pruned, TrialStatus.Queued, false)]
    [InlineData(TrialStatus.Diverged, TrialStatus.Queued, false)]
    [InlineData(TrialStatus.Cancelled, TrialStatus.Running, false)]
    public void CanMove_Trial_FollowsTheStateMachine(TrialStatus from, TrialStatus to, bool allowed) =>
        Assert.Equal(allowed, Lifecycle.CanMove(from, to));

    [Theory]
    [InlineData(ExperimentStatus.Queued, ExperimentStatus.Running, true)]
    [InlineData(ExperimentStatus.Queued, ExperimentStatus.Cancelled, true)]
    [InlineData(ExperimentStatus.Running, ExperimentStatus.Completed, true)]
    [InlineData(ExperimentStatus.Running, ExperimentStatus.Failed, true)]
    [InlineData(ExperimentStatus.Running, ExperimentStatus.Queued, false)]
    [InlineData(ExperimentStatus.Completed, ExperimentStatus.Cancelled, false)]
    [InlineData(ExperimentStatus.Cancelled, ExperimentStatus.Running, true)]
    [InlineData(ExperimentStatus.Failed, ExperimentStatus.Running, true)]
    [InlineData(ExperimentStatus.Completed, ExperimentStatus.Running, true)]
    [InlineData(ExperimentStatus.Cancelled, ExperimentStatus.Queued, false)]
    [InlineData(ExperimentStatus.Failed, ExperimentStatus.Completed, false)]
    public void CanMove_Experiment_FollowsTheStateMachine(ExperimentStatus from, ExperimentStatus to, bool allowed) =>
        Assert.Equal(allowed, Lifecycle.CanMove(from, to));

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var s in Enum.GetValues<TrialStatus>()) Assert.Equal(s, Lifecycle.ParseTrialStatus(s.ToWire()));
        foreach (var s in Enum.GetValues<ExperimentStatus>()) Assert.Equal(s, Lifecycle.ParseExperimentStatus(s.ToWire()));
        Assert.Equal("diverged", TrialStatus.Diverged.ToWire());
    }

    [Fact]
    public void IsFinished_IsFalse_OnlyForQueuedAndRunning()
    {
        Assert.Equal([TrialStatus.Queued, TrialStatus.Running], Enum.GetValues<TrialStatus>().Where(s => !s.IsFinished()));
    }

    [Fact]
    public void Move_RefusesAFinishedTrialStartingAgain()
    {
        var e = Assert.Throws<IllegalMoveException>(() => Lifecycle.Move(TrialStatus.Completed, TrialStatus.Running));
        Assert.Equal("a trial cannot move from completed to running.", e.Message);
        Assert.Equal(TrialStatus.Running, Lifecycle.Move(TrialStatus.Queued, TrialStatus.Running));
    }

    [Fact]
    public void Move_RefusesAnExperimentLeavingAFinishedState()
    {
        var e = Assert.Throws<IllegalMoveException>(() => Lifecycle.Move(ExperimentStatus.Cancelled, ExperimentStatus.Completed));
        Assert.Equal("an experiment cannot move from cancelled to completed.", e.Message);
        Assert.Equal(ExperimentStatus.Completed, Lifecycle.Move(ExperimentStatus.Running, ExperimentStatus.Completed));
    }

    [Fact]
    public void SourcesOf_ListsExactlyTheStatesAllowedToMoveThere()
    {
        Assert.Equal([TrialStatus.Queued, TrialStatus.Running], Lifecycle.SourcesOf(TrialStatus.Running));
        Assert.Equal([TrialStatus.Running], Lifecycle.SourcesOf(TrialStatus.Completed));
        Assert.Equal([TrialStatus.Running, TrialStatus.Failed, TrialStatus.Cancelled], Lifecycle.SourcesOf(TrialStatus.Queued));
        Assert.Equal([ExperimentStatus.Queued, ExperimentStatus.Running], Lifecycle.SourcesOf(ExperimentStatus.Cancelled));
        Assert.Equal([ExperimentStatus.Queued, ExperimentStatus.Completed, ExperimentStatus.Failed, ExperimentStatus.Cancelled],
            Lifecycle.SourcesOf(ExperimentStatus.Running));
    }

    [Theory]
    [InlineData("running", true)]
    [InlineData("Pruned", true)]
    [InlineData("3", false)]
    [InlineData("done", false)]
    [InlineData("", false)]
    public void TryParseWire_AcceptsOnlyStatusNames(string text, bool ok) =>
        Assert.Equal(ok, Lifecycle.TryParseWire(text, out TrialStatus _));
}
