using System.Security.Cryptography;
using System.Text.Json;
using HpSearch.Api.Auth;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Keys;

/// <summary>API keys with scopes, managed by an admin key (the configured key is the first one): created (shown once,
/// stored as a hash), listed, revoked.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keys").WithTags("Keys");
        group.MapPost("/", CreateKey).WithName("CreateKey").RequireApiKey(ApiScopes.Admin).WithSummary("Create an API key (shown once)")
            .Accepts<CreateKeyBody>("application/json").ProducesValidationProblem();
        // Listing needs admin too: reads of keys are never open.
        group.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("List API keys (never the keys themselves)")
            .AddEndpointFilter(async (context, next) =>
                await ApiKeyAuth.AuthorizeAsync(context.HttpContext, ApiScopes.Admin) is { } refused ? refused : await next(context))
            .WithMetadata(new ApiKeyRequirement(ApiScopes.Admin))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapDelete("/{id:guid}", RevokeKey).WithName("RevokeKey").RequireApiKey(ApiScopes.Admin).WithSummary("Revoke an API key")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem>> CreateKey(
        HttpRequest http, HpSearchDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (json, errors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        using var doc = json;
        var body = doc.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["the body must be a JSON object."] });
        JsonRead.RejectUnknown(body, "", errors, "name", "scopes");
        var name = JsonRead.String(body, "name", "name", errors, required: true);
        if (name is not null && (name.Trim().Length == 0 || name.Length > 100)) errors.Add("name", "must be 1 to 100 characters.");
        var scopes = new List<string>();
        if (!JsonRead.TryGet(body, "scopes", out var s) || s.ValueKind != JsonValueKind.Array || s.GetArrayLength() is 0 or > 3)
            errors.Add("scopes", "must be a non-empty array of read, write, admin.");
        else
            foreach (var (item, i) in s.EnumerateArray().Select((x, i) => (x, i)))
                if (item.ValueKind == JsonValueKind.String && ApiScopes.All.Contains(item.GetString()!)) scopes.Add(item.GetString()!);
                else errors.Add($"scopes[{i}]", "must be read, write or admin.");
        if (!errors.IsEmpty || name is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var key = "hps_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var row = new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = name.Trim(), Prefix = key[..10], Hash = ApiKeyAuth.Hash(key),
            Scopes = string.Join(',', scopes.Distinct()), CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/keys/{row.Id}", new CreatedApiKeyDto(row.Id, row.Name, row.Prefix, Split(row.Scopes), row.CreatedAt, key));
    }

    public static async Task<Ok<List<ApiKeyDto>>> ListKeys(HpSearchDb db, CancellationToken cancellationToken)
    {
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(k => new ApiKeyDto(k.Id, k.Name, k.Prefix, Split(k.Scopes), k.CreatedAt, k.RevokedAt)).ToList());
    }

    /// <summary>Revokes a key at once (the row stays, for the record).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(Guid id, HpSearchDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), cancellationToken);
        if (changed == 0 && !await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken))
            return TypedResults.Problem(Problems.NotFound($"key {id} does not exist."));
        return TypedResults.NoContent();
    }

    private static List<string> Split(string scopes) => [.. scopes.Split(',', StringSplitOptions.RemoveEmptyEntries)];
}
