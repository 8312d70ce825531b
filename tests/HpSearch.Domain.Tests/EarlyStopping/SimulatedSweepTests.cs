using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

/// <summary>Whole sweeps on synthetic learning curves with a known best trial, run asynchronously with parallelism 3.</summary>
public class SimulatedSweepTests
{
    private const int Trials = 12;
    private const int MaxEpochs = 9;

    /// <summary>Trial n's final accuracy; the curves rise as 1 − e^(−e/2) toward it, so ranks never cross.</summary>
    private static double Final(int n) => 0.5 + 0.04 * ((n * 5) % Trials); // a shuffled order; trial 7 is the best (0.94)

    private static (List<TrialRecord> Trials, EpochAccounting Epochs) Sweep(string stopping)
    {
        var spec = TestSpecs.Parse($$"""
            { "name": "sim", "dataset": "mnist", "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
              "budget": { "maxEpochs": {{MaxEpochs}}, "parallelism": 3 }, "earlyStopping": {{stopping}} }
            """);
        var records = new List<TrialRecord>();
        var next = 0;
        while (records.Count < Trials || records.Any(t => t.Status == TrialStatus.Running))
        {
            while (next < Trials && records.Count(t => t.Status == TrialStatus.Running) < 3)
                records.Add(TestSpecs.Trial(next++, TrialStatus.Running, []));
            // Every running trial trains one epoch, then asks the rule (asynchronously: whatever the others have done so far).
            foreach (var i in Enumerable.Range(0, records.Count).Where(i => records[i].Status == TrialStatus.Running).ToList())
            {
                var t = records[i];
                var e = t.Epochs.Count + 1;
                var grown = t with { Epochs = [.. t.Epochs, TestSpecs.Epoch(e, ("valAccuracy", Final(t.Number) * (1 - Math.Exp(-e / 2.0))))] };
                var stop = StoppingRules.Check(spec, grown, records.Select(r => r.Number == t.Number ? grown : r).ToList());
                records[i] = stop is not null ? grown with { Status = stop.Pruned ? TrialStatus.Pruned : TrialStatus.Completed }
                    : e == MaxEpochs ? grown with { Status = TrialStatus.Completed }
                    : grown;
            }
        }
        return (records, EpochAccounting.Of(records, MaxEpochs));
    }

    [Theory]
    [InlineData("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""", 0.3)]
    // The median rule compares a best value with running averages, which lag on rising curves: it is gentler.
    [InlineData("""{ "kind": "median", "startupTrials": 2, "warmupEpochs": 1 }""", 0.1)]
    public void Sweep_KeepsTheBestTrialToTheEnd_AndSavesEpochs(string stopping, double minSaved)
    {
        var (trials, epochs) = Sweep(stopping);
        var best = trials.Single(t => t.Number == 7);
        Assert.Equal(TrialStatus.Completed, best.Status);
        Assert.Equal(MaxEpochs, best.Epochs.Count);
        Assert.Contains(trials, t => t.Status == TrialStatus.Pruned);
        Assert.True(epochs.SavedFraction > minSaved, $"saved {epochs.SavedFraction:P0}");
        Assert.Equal(7, HpSearch.Domain.Strategies.BestTrial.Choose(trials, new Objective("valAccuracy", true))!.Number);
    }

    [Fact]
    public void Sweep_PrunesAWeakLateTrial_AtAnEarlyRung_UnderAsha()
    {
        // Trial 0 is the worst, but as the first arrival at every rung it is promoted (ASHA's known leniency early on);
        // trial 5, second worst, arrives when the rungs are populated.
        var (trials, _) = Sweep("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""");
        var worst = trials.Single(t => t.Number == 5); // final 0.54
        Assert.Equal(TrialStatus.Pruned, worst.Status);
        Assert.True(worst.Epochs.Count <= 3);
    }

    [Fact]
    public void Sweep_SavesNothing_WithoutARule()
    {
        var (trials, epochs) = Sweep("""{ "kind": "none" }""");
        Assert.All(trials, t => Assert.Equal(MaxEpochs, t.Epochs.Count));
        Assert.Equal(0, epochs.Saved);
    }
}
