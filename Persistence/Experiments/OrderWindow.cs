namespace HpSearch.Persistence.Experiments;

/// <summary>
/// The median rule's figures from the keys around the middle of an epoch's running-sum order of all n trials: the count and the
/// lower and upper middle of the others, the asking trial's own key left out. Leaving out a key at rank r shifts every key above
/// it down by one, so the others' middle ranks (m − 1) / 2 and m / 2 (m = n − 1) are among all's ranks (n − 1) / 2 − 1 …
/// (n − 1) / 2 + 1: the three keys <c>hps_epoch_order</c> returns (decision 0023).
/// </summary>
public static class OrderWindow
{
    /// <param name="n">Trials at the epoch, the asking one included.</param>
    /// <param name="window">All's keys around the middle, with their ranks, ascending.</param>
    /// <param name="own">The asking trial's key (rank unused); null if it has no row at the epoch.</param>
    public static (int Count, double First, double Second) MiddleOfOthers(int n, IReadOnlyList<OrderKey> window, OrderKey? own)
    {
        var others = own is null ? n : n - 1;
        if (others <= 0) return (0, double.NegativeInfinity, double.NegativeInfinity);
        return (others, At((others - 1) / 2), At(others / 2));

        double At(int rank)
        {
            foreach (var key in window)
            {
                if (own is { } o && key.Trial == o.Trial) continue;
                // The others' rank of a key: its rank among all, less one when the left-out key is below it.
                var shifted = own is { } x && x.CompareTo(key) < 0 ? key.Rank - 1 : key.Rank;
                if (shifted == rank) return key.Value;
            }
            throw new InvalidOperationException($"rank {rank} of {others} is not in the order's window around the middle.");
        }
    }
}
