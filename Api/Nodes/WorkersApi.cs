using System.Text.Json;
using HpSearch.Api.Trials;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Nodes;

public sealed record WorkerNodeDto(string Node, JsonElement Pools, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, bool Alive, JsonElement Slots);

public static class WorkersApi
{
    /// <summary>A node is alive while its heartbeat (every 2 s) is younger than this.</summary>
    public static readonly TimeSpan AliveWindow = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workers", ListWorkers).WithTags("Workers").WithName("ListWorkers").WithSummary("List worker nodes and their slots")
            .Produces<List<WorkerNodeDto>>();
        return app;
    }

    /// <summary>Nodes, their pools and slots, what each slot runs, last heartbeat.</summary>
    public static async Task<IResult> ListWorkers(HpSearchDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Workers.AsNoTracking().OrderBy(w => w.Node).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(w => new WorkerNodeDto(w.Node, TrialQueries.Parse(w.PoolsJson)!.Value, w.StartedAt, w.LastHeartbeat,
            now - w.LastHeartbeat < AliveWindow, TrialQueries.Parse(w.SlotsJson)!.Value)).ToList());
    }
}
