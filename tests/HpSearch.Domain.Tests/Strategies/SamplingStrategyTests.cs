using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;
using Factory = HpSearch.Domain.Strategies.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class SamplingStrategyTests
{
    private static TrialRecord T(int n, TrialStatus s = TrialStatus.Completed) => TestSpecs.Trial(n, s, [0.5]);

    [Fact]
    public void Next_AsksForAtMostFreeSlots()
    {
        var d = Factory.Create(TestSpecs.Spec(maxTrials: 10)).Next(TestSpecs.Spec(maxTrials: 10), [], 2);
        Assert.Equal(2, d.NewTrials.Count);
        Assert.False(d.Done);
        Assert.All(d.NewTrials, r => Assert.Equal(10, r.MaxEpochs));
    }

    [Fact]
    public void Next_IsDone_WhenTheLastTrialsAreAskedFor()
    {
        var spec = TestSpecs.Spec(maxTrials: 3);
        var d = Factory.Create(spec).Next(spec, [T(0), T(1)], 5);
        Assert.Single(d.NewTrials);
        Assert.True(d.Done);
    }

    [Fact]
    public void Next_AsksForNothing_WhenNoSlotIsFree()
    {
        var spec = TestSpecs.Spec();
        var d = Factory.Create(spec).Next(spec, [T(0, TrialStatus.Running)], 0);
        Assert.Empty(d.NewTrials);
        Assert.False(d.Done);
    }

    [Fact]
    public void Next_Fails_WhenTooManyTrialsFailed()
    {
        var spec = TestSpecs.Spec(maxFailed: 0);
        var d = Factory.Create(spec).Next(spec, [T(0, TrialStatus.Failed)], 2);
        Assert.True(d.Done);
        Assert.NotNull(d.FailureReason);
        Assert.Empty(d.NewTrials);
    }

    [Fact]
    public void Next_StopsAtTheTimeLimit_GivenTheElapsedTime()
    {
        var spec = TestSpecs.Spec(extraBudget: """, "timeLimitSeconds": 10""");
        IStrategy s = Factory.Create(spec);
        Assert.NotEmpty(s.Next(spec, [], 2, TimeSpan.FromSeconds(5)).NewTrials);
        var d = s.Next(spec, [], 2, TimeSpan.FromSeconds(11));
        Assert.True(d.Done);
        Assert.Null(d.FailureReason);
    }

    [Fact]
    public void Next_StopsAtTheGridsSize_WhenSmallerThanMaxTrials()
    {
        var spec = TestSpecs.Spec(maxTrials: 100, strategy: """{ "kind": "grid", "gridPoints": 2 }""");
        var strategy = Factory.Create(spec);
        Assert.IsType<GridSampler>(Assert.IsType<SamplingStrategy>(strategy).Sampler);
        var d = strategy.Next(spec, [], 10);
        Assert.Equal(4, d.NewTrials.Count); // lr 2 × dropout 2
        Assert.True(d.Done);
        Assert.Equal(4, d.NewTrials.Select(r => $"{r.Params["lr"]}/{r.Params["dropout"]}").Distinct().Count());
    }

    [Fact]
    public void Next_SuggestsTrialNumberN_ForTheNthTrial_SoARerunAsksTheSame()
    {
        var spec = TestSpecs.Spec();
        var first = Factory.Create(spec).Next(spec, [T(0)], 1).NewTrials[0];
        var again = Factory.Create(spec).Next(spec, [T(0)], 1).NewTrials[0];
        Assert.Equal(new RandomSampler(7).Suggest(spec.SearchSpace, 1, [])["lr"], first.Params["lr"]);
        Assert.Equal(first.Params["lr"], again.Params["lr"]);
    }
    /// <summary>Runs a strategy to the end of its budget, finishing each trial it asks for (value 0.5 + 0.01 × number).</summary>
    private static List<TrialRecord> RunToTheEnd(ExperimentSpec spec, List<TrialRecord>? start = null)
    {
        var trials = start ?? [];
        var strategy = Factory.Create(spec);
        while (true)
        {
            var d = strategy.Next(spec, trials, 1);
            foreach (var r in d.NewTrials)
                trials.Add(TestSpecs.Trial(trials.Count, TrialStatus.Completed, [0.5 + 0.01 * trials.Count], parameters: new(r.Params)));
            if (d.Done) return trials;
        }
    }

    [Theory]
    [InlineData("""{ "kind": "random", "seed": 7 }""")]
    [InlineData("""{ "kind": "tpe", "seed": 7, "tpe": { "startupTrials": 2 } }""")]
    public void Next_AfterTheBudgetIsRaised_DrawsWhatTheLargerBudgetWouldHaveDrawn(string strategy)
    {
        var small = RunToTheEnd(TestSpecs.Spec(maxTrials: 3, strategy: strategy));
        Assert.Equal(3, small.Count);
        var extended = RunToTheEnd(TestSpecs.Spec(maxTrials: 6, strategy: strategy), small);
        var whole = RunToTheEnd(TestSpecs.Spec(maxTrials: 6, strategy: strategy));

        Assert.Equal(6, extended.Count);
        Assert.Equal(whole.Select(t => t.Params["lr"]), extended.Select(t => t.Params["lr"]));
        Assert.Equal(6, extended.Select(t => t.Params["lr"]).Distinct().Count());
    }
}
