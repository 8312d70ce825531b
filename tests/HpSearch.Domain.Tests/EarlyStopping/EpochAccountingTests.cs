using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class EpochAccountingTests
{
    private static TrialRecord T(int n, TrialStatus s, int epochs, int? max = null) =>
        TestSpecs.Trial(n, s, Enumerable.Repeat(0.5, epochs).ToList()) with { MaxEpochs = max };

    [Fact]
    public void Of_CountsFullRunsForStoppedTrials_AndTrainedEpochsForTheRest()
    {
        var a = EpochAccounting.Of([
            T(0, TrialStatus.Completed, 10),
            T(1, TrialStatus.Pruned, 1),
            T(2, TrialStatus.Completed, 4),   // patience stopped it
            T(3, TrialStatus.Diverged, 2),    // would have diverged anyway
            T(4, TrialStatus.Running, 3),
            T(5, TrialStatus.Pruned, 3, max: 5),
        ], defaultMaxEpochs: 10);
        Assert.Equal(10 + 1 + 4 + 2 + 3 + 3, a.Trained);
        Assert.Equal(10 + 10 + 10 + 2 + 3 + 5, a.WithoutStopping);
        Assert.Equal(17, a.Saved);
        Assert.Equal(17 / 40.0, a.SavedFraction, 12);
    }

    [Fact]
    public void Of_IsZero_WithoutTrials()
    {
        var a = EpochAccounting.Of([], 10);
        Assert.Equal((0, 0, 0, 0.0), (a.Trained, a.WithoutStopping, a.Saved, a.SavedFraction));
    }
}
