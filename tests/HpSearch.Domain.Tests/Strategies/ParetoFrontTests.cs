using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class ParetoFrontTests
{
    private static readonly IReadOnlyList<Objective> AccuracyAndSize = [new("valAccuracy", true), new("parameters", false)];

    private static TrialRecord Trial(int n, double accuracy, double parameters, TrialStatus status = TrialStatus.Completed, TrialOptions? options = null) =>
        new(n, status, new Dictionary<string, object>(), [TestSpecs.Epoch(1, ("valAccuracy", accuracy), ("parameters", parameters))], Options: options);

    [Theory]
    [InlineData(new[] { 1.0, 1.0 }, new[] { 2.0, 2.0 }, true)]
    [InlineData(new[] { 1.0, 2.0 }, new[] { 2.0, 2.0 }, true)]
    [InlineData(new[] { 2.0, 2.0 }, new[] { 2.0, 2.0 }, false)]
    [InlineData(new[] { 1.0, 3.0 }, new[] { 2.0, 2.0 }, false)]
    [InlineData(new[] { 3.0, 3.0 }, new[] { 2.0, 2.0 }, false)]
    public void Dominates_IsAtLeastAsGoodEverywhere_AndStrictlyBetterSomewhere(double[] a, double[] b, bool expected) =>
        Assert.Equal(expected, ParetoFront.Dominates(a, b));

    [Fact]
    public void Of_KeepsTheNonDominatedTrials_RespectingEachDirection()
    {
        var trials = new[]
        {
            Trial(0, 0.90, 1000), // front: the most accurate
            Trial(1, 0.80, 100),  // front: the smallest
            Trial(2, 0.85, 500),  // front: in between
            Trial(3, 0.80, 600),  // dominated by 2
            Trial(4, 0.70, 100),  // dominated by 1 (equal size, less accurate)
        };
        var front = ParetoFront.Of(trials, AccuracyAndSize);
        Assert.Equal([0, 1, 2], front.Select(m => m.Number));
        Assert.Equal([0.85, 500], front[2].Values);
    }

    [Fact]
    public void Of_KeepsEveryDuplicate_OfAFrontPoint()
    {
        var front = ParetoFront.Of([Trial(0, 0.9, 100), Trial(1, 0.9, 100), Trial(2, 0.8, 200)], AccuracyAndSize);
        Assert.Equal([0, 1], front.Select(m => m.Number));
    }

    [Fact]
    public void Of_DropsATie_OnOneObjective_WhenTheOtherIsWorse()
    {
        var front = ParetoFront.Of([Trial(0, 0.9, 100), Trial(1, 0.9, 101)], AccuracyAndSize);
        Assert.Equal([0], front.Select(m => m.Number));
    }

    [Fact]
    public void Of_ConsidersOnlyCompletedNonDiagnosticTrials_WithEveryObjective()
    {
        var missing = new TrialRecord(5, TrialStatus.Completed, new Dictionary<string, object>(), [TestSpecs.Epoch(1, ("valAccuracy", 0.99))]);
        var trials = new[]
        {
            Trial(0, 0.80, 500),
            Trial(1, 0.99, 1, TrialStatus.Pruned),
            Trial(2, 0.99, 1, TrialStatus.Failed),
            Trial(3, 0.99, 1, options: new TrialOptions(SubsetPerClass: 5)),
            Trial(4, double.NaN, 1),
            missing,
        };
        Assert.Equal([0], ParetoFront.Of(trials, AccuracyAndSize).Select(m => m.Number));
    }

    [Fact]
    public void Of_ReadsEveryObjective_AtTheEpochBestOnTheFirst()
    {
        var trial = new TrialRecord(0, TrialStatus.Completed, new Dictionary<string, object>(),
        [
            TestSpecs.Epoch(1, ("valAccuracy", 0.7), ("seconds", 1.0)),
            TestSpecs.Epoch(2, ("valAccuracy", 0.9), ("seconds", 3.0)),
            TestSpecs.Epoch(3, ("valAccuracy", 0.8), ("seconds", 2.0)),
        ]);
        var member = Assert.Single(ParetoFront.Of([trial], [new("valAccuracy", true), new("seconds", false)]));
        Assert.Equal([0.9, 3.0], member.Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Of_IsExactlyTheSetNoTrialDominates_OnSeededRandomSweeps(int seed)
    {
        // Values on a coarse grid, so ties and duplicates are common.
        var rng = new Random(seed);
        var trials = Enumerable.Range(0, 60).Select(n => Trial(n, rng.Next(10) / 10.0, rng.Next(10) * 100)).ToList();
        var front = ParetoFront.Of(trials, AccuracyAndSize).Select(m => m.Number).ToHashSet();
        var losses = trials.ToDictionary(t => t.Number, t => ParetoFront.Losses(t.ObjectiveValues(AccuracyAndSize)!, AccuracyAndSize));
        foreach (var t in trials)
        {
            var dominated = trials.Any(o => ParetoFront.Dominates(losses[o.Number], losses[t.Number]));
            Assert.Equal(!dominated, front.Contains(t.Number));
        }
        Assert.NotEmpty(front);
    }

    [Fact]
    public void Ranks_PeelsFronts_OneLayerAtATime()
    {
        double[][] losses = [[1, 3], [3, 1], [2, 2], [2, 3], [3, 3], [3, 3]];
        Assert.Equal([0, 0, 0, 1, 2, 2], ParetoFront.Ranks(losses));
    }

    [Fact]
    public void BestTrial_WithSeveralObjectives_IsTheFrontMemberBestOnTheFirst()
    {
        // Trial 1 ties trial 0 on accuracy but is smaller: trial 0 is dominated and cannot be the result.
        var chosen = BestTrial.Choose([Trial(0, 0.9, 200), Trial(1, 0.9, 100), Trial(2, 0.8, 50)], AccuracyAndSize);
        Assert.Equal(1, chosen!.Number);
    }
}
