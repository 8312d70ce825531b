using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class StoppingRulesCheckTests
{
    private static ExperimentSpec Spec(string stopping) => TestSpecs.Parse($$"""
        { "name": "t", "dataset": "mnist", "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
          "budget": { "maxEpochs": 9 }, "earlyStopping": {{stopping}} }
        """);

    private static readonly TrialRecord[] Peers =
    [
        TestSpecs.Trial(0, TrialStatus.Completed, [0.9, 0.9, 0.9]),
        TestSpecs.Trial(1, TrialStatus.Completed, [0.8, 0.8, 0.8]),
        TestSpecs.Trial(2, TrialStatus.Running, [0.85]),
    ];

    [Fact]
    public void Check_PrunesAWeakTrial_AgainstItsPeers()
    {
        var weak = TestSpecs.Trial(3, TrialStatus.Running, [0.1]);
        var stop = StoppingRules.Check(Spec("""{ "kind": "asha" }"""), weak, [.. Peers, weak])!;
        Assert.Equal(AshaRule.Name, stop.Rule);
        Assert.Contains("of 4 trials", stop.Reason); // itself counted once
    }

    [Fact]
    public void Check_SkipsNoStoppingTrials()
    {
        var weak = TestSpecs.Trial(3, TrialStatus.Running, [0.1], options: new TrialOptions(NoStopping: true));
        Assert.Null(StoppingRules.Check(Spec("""{ "kind": "asha" }"""), weak, [.. Peers, weak]));
    }

    [Fact]
    public void Check_ComparesOnlyWithinTheSameStage()
    {
        var weak = TestSpecs.Trial(3, TrialStatus.Running, [0.1]) with { Stage = "coarse" };
        Assert.Null(StoppingRules.Check(Spec("""{ "kind": "asha" }"""), weak, [.. Peers, weak]));
    }

    [Fact]
    public void Check_ReturnsNull_WithoutARule()
    {
        var weak = TestSpecs.Trial(3, TrialStatus.Running, [0.1]);
        Assert.Null(StoppingRules.Check(Spec("""{ "kind": "none" }"""), weak, [.. Peers, weak]));
    }

    [Fact]
    public void Of_BuildsTheObjectivesCurve_WithTheStageAsGroup()
    {
        var t = TestSpecs.Trial(4, TrialStatus.Pruned, [0.1, 0.2]) with { Stage = "refine" };
        var c = TrialCurve.Of(t, new Objective("valAccuracy", true));
        Assert.Equal((4, true, "refine"), (c.TrialNumber, c.Finished, c.Group));
        Assert.Equal([0.1, 0.2], c.Values);
    }
}
