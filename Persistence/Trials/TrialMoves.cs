using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace HpSearch.Persistence.Trials;

/// <summary>Set-based status moves of trials (one UPDATE, no tracked rows): each names the states it moves from, the
/// Domain's <see cref="Lifecycle"/> must allow every one of them, and only rows in one of them move.</summary>
public static class TrialMoves
{
    /// <summary>Moves the <paramref name="trials"/> that are in one of <paramref name="from"/> to <paramref name="to"/> (and sets
    /// <paramref name="also"/>); returns how many moved. <see cref="IllegalMoveException"/> before any I/O if a move is not allowed.</summary>
    public static Task<int> MoveAsync(this IQueryable<Trial> trials, IReadOnlyCollection<TrialStatus> from, TrialStatus to,
        Action<UpdateSettersBuilder<Trial>>? also, CancellationToken cancellationToken)
    {
        foreach (var f in from) Lifecycle.Move(f, to);
        var now = DateTimeOffset.UtcNow;
        var sources = from.ToList();
        return trials.Where(t => sources.Contains(t.Status)).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(t => t.Status, to).SetProperty(t => t.UpdatedAt, now);
            if (to.IsFinished()) s.SetProperty(t => t.FinishedAt, now);
            also?.Invoke(s);
        }, cancellationToken);
    }

    /// <summary>Moves the <paramref name="trials"/> that are <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static Task<int> MoveAsync(this IQueryable<Trial> trials, TrialStatus from, TrialStatus to,
        Action<UpdateSettersBuilder<Trial>>? also, CancellationToken cancellationToken) =>
        trials.MoveAsync([from], to, also, cancellationToken);
}
