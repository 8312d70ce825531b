using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class BestTrialTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    [Fact]
    public void Choose_PicksTheHighestBestValue_WhenMaximizing()
    {
        var best = BestTrial.Choose([
            TestSpecs.Trial(0, TrialStatus.Completed, [0.5, 0.7]),
            TestSpecs.Trial(1, TrialStatus.Completed, [0.8, 0.6]),
            TestSpecs.Trial(2, TrialStatus.Completed, [0.75]),
        ], Max);
        Assert.Equal(1, best!.Number);
    }

    [Fact]
    public void Choose_PicksTheLowest_WhenMinimizing()
    {
        var best = BestTrial.Choose([
            TestSpecs.Trial(0, TrialStatus.Completed, [0.5, 0.3], "valLoss"),
            TestSpecs.Trial(1, TrialStatus.Completed, [0.4], "valLoss"),
        ], new Objective("valLoss", false));
        Assert.Equal(0, best!.Number);
    }

    [Fact]
    public void Choose_PrefersTheEarlierTrial_OnATie()
    {
        var best = BestTrial.Choose([TestSpecs.Trial(3, TrialStatus.Completed, [0.8]), TestSpecs.Trial(1, TrialStatus.Completed, [0.8])], Max);
        Assert.Equal(1, best!.Number);
    }

    [Fact]
    public void Choose_PrefersACompletedTrial_OverABetterPrunedOne()
    {
        var best = BestTrial.Choose([TestSpecs.Trial(0, TrialStatus.Pruned, [0.9]), TestSpecs.Trial(1, TrialStatus.Completed, [0.5])], Max);
        Assert.Equal(1, best!.Number);
    }

    [Fact]
    public void Choose_FallsBackToPruned_WhenNothingCompleted()
    {
        var best = BestTrial.Choose([TestSpecs.Trial(0, TrialStatus.Pruned, [0.4]), TestSpecs.Trial(1, TrialStatus.Failed, [0.9])], Max);
        Assert.Equal(0, best!.Number);
    }

    [Fact]
    public void Choose_IgnoresNaN_AndDiagnosticRuns()
    {
        var best = BestTrial.Choose([
            TestSpecs.Trial(0, TrialStatus.Completed, [double.NaN]),
            TestSpecs.Trial(1, TrialStatus.Completed, [0.99], options: new TrialOptions(SubsetPerClass: 5, RegularizationOff: true)),
            TestSpecs.Trial(2, TrialStatus.Completed, [0.6]),
        ], Max);
        Assert.Equal(2, best!.Number);
    }

    [Fact]
    public void Choose_ReturnsNull_WhenNoTrialHasAValue()
    {
        Assert.Null(BestTrial.Choose([TestSpecs.Trial(0, TrialStatus.Failed, []), TestSpecs.Trial(1, TrialStatus.Completed, [double.NaN])], Max));
    }

    [Fact]
    public void Rank_OrdersCompletedByValue_ThenPruned_LeavingOutFailedAndValueless()
    {
        var ranked = BestTrial.Rank([
            TestSpecs.Trial(0, TrialStatus.Pruned, [0.95]),
            TestSpecs.Trial(1, TrialStatus.Completed, [0.5]),
            TestSpecs.Trial(2, TrialStatus.Completed, [0.7]),
            TestSpecs.Trial(3, TrialStatus.Failed, [0.99]),
            TestSpecs.Trial(4, TrialStatus.Completed, [double.NaN]),
            TestSpecs.Trial(5, TrialStatus.Completed, [0.7]),
            TestSpecs.Trial(6, TrialStatus.Pruned, [0.6]),
        ], Max);
        Assert.Equal([2, 5, 1, 0, 6], ranked.Select(t => t.Number));
    }

    [Fact]
    public void Choose_IsTheFirstOfRank()
    {
        var trials = Enumerable.Range(0, 12).Select(i => TestSpecs.Trial(i, i % 3 == 0 ? TrialStatus.Pruned : TrialStatus.Completed, [(i * 7 % 5) / 10.0])).ToList();
        Assert.Equal(BestTrial.Rank(trials, Max)[0].Number, BestTrial.Choose(trials, Max)!.Number);
    }
}
