using HpSearch.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Trials;

public static class TrialsApi
{
    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/trials").WithTags("Trials");
        group.MapGet("/{id:guid}", GetTrial).WithName("GetTrial").WithSummary("Get a trial with its per-epoch metrics")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>One trial with its per-epoch metrics.</summary>
    public static async Task<Results<Ok<TrialSummaryDto>, ProblemHttpResult>> GetTrial(
        Guid id, HpSearchDb db, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (trial is null) return TypedResults.Problem(Problems.NotFound($"trial {id} does not exist."));
        var epochs = await db.TrialEpochs.AsNoTracking().Where(e => e.TrialId == id).OrderBy(e => e.Epoch).ToListAsync(cancellationToken);
        var summary = TrialQueries.ToSummary(trial,
            epochs.FirstOrDefault(e => e.Epoch == trial.BestEpoch), epochs.FirstOrDefault(e => e.Epoch == trial.EpochCount));
        return TypedResults.Ok(summary with { Metrics = epochs.Select(TrialQueries.ToEpoch).ToList() });
    }
}
