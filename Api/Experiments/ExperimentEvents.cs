using System.Text.Json;
using HpSearch.Api.Trials;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>
/// Server-sent events for one experiment. The source of truth is the database (trials may be written by any node),
/// so the stream polls it once a second for rows changed since the last look and sends what changed.
/// </summary>
public static class ExperimentEvents
{
    public static async Task StreamAsync(Guid id, HttpContext http, IDbContextFactory<HpSearchDb> dbFactory, CancellationToken cancellationToken)
    {
        await using (var probe = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await probe.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
            {
                await Results.NotFound(Problems.NotFound($"experiment {id} does not exist.")).ExecuteAsync(http);
                return;
            }
        }
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": connected\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);

        var since = DateTimeOffset.MinValue;
        var epochsSince = DateTimeOffset.UtcNow.AddSeconds(-5);
        var experimentSeen = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
                if (experiment is null) return;
                var changedTrials = await db.Trials.AsNoTracking()
                    .Where(t => t.ExperimentId == id && t.UpdatedAt > since)
                    .OrderBy(t => t.UpdatedAt).Take(500).ToListAsync(cancellationToken);
                var newEpochs = await (
                    from e in db.TrialEpochs.AsNoTracking()
                    join t in db.Trials on e.TrialId equals t.Id
                    where t.ExperimentId == id && e.RecordedAt > epochsSince
                    orderby e.RecordedAt
                    select new { e, t.Number }).Take(2000).ToListAsync(cancellationToken);

                if (experiment.UpdatedAt > experimentSeen || changedTrials.Count > 0)
                {
                    var summary = (await ExperimentQueries.SummariesAsync(db, [experiment], cancellationToken))[0];
                    await SendAsync(http, "experiment", summary, cancellationToken);
                    experimentSeen = experiment.UpdatedAt;
                }
                foreach (var s in await TrialQueries.SummariesAsync(db, changedTrials, cancellationToken))
                    await SendAsync(http, "trial", s, cancellationToken);
                foreach (var row in newEpochs)
                    await SendAsync(http, "epoch", new { trialId = row.e.TrialId, trialNumber = row.Number, epoch = row.e.Epoch, metrics = TrialQueries.ToEpoch(row.e) }, cancellationToken);

                if (changedTrials.Count > 0) since = changedTrials[^1].UpdatedAt;
                if (newEpochs.Count > 0) epochsSince = newEpochs[^1].e.RecordedAt;
                await http.Response.Body.FlushAsync(cancellationToken);
            } while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task SendAsync<T>(HttpContext http, string name, T data, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(data, ExperimentsApi.JsonOptions);
        await http.Response.WriteAsync($"event: {name}\ndata: {json}\n\n", cancellationToken);
    }
}
