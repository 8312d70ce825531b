using HpSearch.Persistence;
using HpSearch.Persistence.Artifacts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Artifacts;

/// <summary>A kept file of a trial; <see cref="Url"/> downloads it.</summary>
public sealed record ArtifactDto(Guid TrialId, int TrialNumber, string Name, string Kind, long SizeBytes, string Sha256,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Url);

/// <summary>The files a completed experiment kept (its best trials' checkpoints, a command trainer's artifact folder), listed
/// and downloaded with a read key.</summary>
public static class ArtifactsApi
{
    public static IEndpointRouteBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/experiments/{id:guid}/artifacts", ListExperimentArtifacts).WithTags("Artifacts").WithName("ListExperimentArtifacts")
            .WithSummary("List the files an experiment kept").ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/trials/{id:guid}/artifacts", ListTrialArtifacts).WithTags("Artifacts").WithName("ListTrialArtifacts")
            .WithSummary("List the files kept of a trial").ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/trials/{id:guid}/artifacts/{*name}", DownloadArtifact).WithTags("Artifacts").WithName("DownloadArtifact")
            .WithSummary("Download one kept file of a trial")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<List<ArtifactDto>>, ProblemHttpResult>> ListExperimentArtifacts(Guid id, HpSearchDb db, CancellationToken cancellationToken)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
            return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        return TypedResults.Ok((await ArtifactStore.ListAsync(db, id, null, cancellationToken)).Select(ToDto).ToList());
    }

    public static async Task<Results<Ok<List<ArtifactDto>>, ProblemHttpResult>> ListTrialArtifacts(Guid id, HpSearchDb db, CancellationToken cancellationToken)
    {
        var experimentId = await db.Trials.Where(t => t.Id == id).Select(t => (Guid?)t.ExperimentId).SingleOrDefaultAsync(cancellationToken);
        if (experimentId is null) return TypedResults.Problem(Problems.NotFound($"trial {id} does not exist."));
        return TypedResults.Ok((await ArtifactStore.ListAsync(db, experimentId.Value, id, cancellationToken)).Select(ToDto).ToList());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadArtifact(Guid id, string name, HpSearchDb db, CancellationToken cancellationToken)
    {
        var file = await db.Artifacts.AsNoTracking().Where(a => a.TrialId == id && a.Name == name)
            .Select(a => new { a.Data, a.Sha256 }).SingleOrDefaultAsync(cancellationToken);
        if (file is null) return TypedResults.Problem(Problems.NotFound($"trial {id} keeps no artifact named '{name}'."));
        return TypedResults.File(file.Data, "application/octet-stream", name[(name.LastIndexOf('/') + 1)..],
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
    }

    private static ArtifactDto ToDto(ArtifactInfo a) => new(a.TrialId, a.TrialNumber, a.Name, a.Kind, a.SizeBytes, a.Sha256, a.CreatedAt, a.ExpiresAt,
        $"/api/trials/{a.TrialId}/artifacts/{string.Join('/', a.Name.Split('/').Select(Uri.EscapeDataString))}");
}
