using System.Security.Cryptography;
using System.Text;
using HpSearch.Persistence;
using HpSearch.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;

namespace HpSearch.Api.Auth;

/// <summary>API-key checks: an endpoint filter for writes, and middleware for reads when they need a key too.</summary>
public static class ApiKeyAuth
{
    public const string Header = "X-Api-Key";

    /// <summary>Shortest accepted key: a guessable key would make the rate limits the only defence.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Reads the key from configuration (HpSearch:ApiKey), else from the data folder, else makes one there.</summary>
    public static ApiKeyOptions Load(IConfiguration configuration)
    {
        var options = new ApiKeyOptions
        {
            ApiKey = configuration["HpSearch:ApiKey"] ?? "",
            ReadsNeedKey = configuration.GetValue<bool>("HpSearch:ReadsNeedKey"),
        };
        if (options.ApiKey.Length > 0) return Checked(options, "HpSearch:ApiKey");
        var dataDir = configuration.GetSection(HpSearchOptions.Section).Get<HpSearchOptions>()?.DataDirectory ?? new HpSearchOptions().DataDirectory;
        var file = Path.Combine(dataDir, "api-key");
        if (File.Exists(file)) options.ApiKey = File.ReadAllText(file).Trim();
        if (options.ApiKey.Length == 0)
        {
            Directory.CreateDirectory(dataDir);
            options.ApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            // Created with mode 600: the key is never readable by others, not even for a moment.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(file, System.Text.Encoding.ASCII, create)) writer.Write(options.ApiKey);
        }
        return Checked(options, file);
    }

    private static ApiKeyOptions Checked(ApiKeyOptions options, string source) =>
        options.ApiKey.Length >= MinKeyLength && options.ApiKey.All(c => c is > ' ' and < '\u007f')
            ? options
            : throw new InvalidOperationException($"The API key from {source} must be at least {MinKeyLength} printable ASCII characters.");

    /// <summary>The scopes of the presented key: the configured key (environment or key file) is the first admin key;
    /// keys created over the API are looked up by their SHA-256 hash. Null when no valid key was presented.</summary>
    public static Task<string?> ScopesAsync(HttpContext http) => ScopesOfAsync(http, http.Request.Headers[Header].ToString());

    /// <summary>The scopes of <paramref name="presented"/> (a key however it arrived); null when it is no valid key.</summary>
    public static async Task<string?> ScopesOfAsync(HttpContext http, string presented)
    {
        if (presented.Length == 0 || presented.Length > 512) return null;
        var options = http.RequestServices.GetRequiredService<ApiKeyOptions>();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(options.ApiKey)))
            return ApiScopes.Admin;
        var hash = Hash(presented);
        await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContextAsync(http.RequestAborted);
        return await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash && k.RevokedAt == null).Select(k => k.Scopes)
            .SingleOrDefaultAsync(http.RequestAborted);
    }

    /// <summary>Lower-case hex SHA-256: keys are long random strings, so a fast hash is enough (no dictionary to attack).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Null when the request may go on; else the 401, 403 or 429 to answer.</summary>
    public static async Task<IResult?> AuthorizeAsync(HttpContext http, string scope)
    {
        var scopes = await ScopesAsync(http);
        if (scopes is null) return Refuse(http);
        return ApiScopes.Covers(scopes, scope) ? null : TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = $"this key lacks the '{scope}' scope.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        });
    }

    public static ProblemDetails Unauthorized() => new()
    {
        Status = StatusCodes.Status401Unauthorized,
        Title = "Unauthorized",
        Detail = $"this request needs a valid API key in the {Header} header.",
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    };

    /// <summary>Writes need a key with <paramref name="scope"/> (write unless said otherwise) and count against the write limit.</summary>
    public static RouteHandlerBuilder RequireApiKey(this RouteHandlerBuilder builder, string scope = ApiScopes.Write) =>
        builder.AddEndpointFilter(async (context, next) =>
            await AuthorizeAsync(context.HttpContext, scope) is { } refused ? refused : await next(context))
          .WithMetadata(new ApiKeyRequirement(scope))
          .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
          .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(RateLimits.Writes);

    /// <summary>401, or 429 once the client has failed authentication too often this minute.</summary>
    private static IResult Refuse(HttpContext http) =>
        http.RequestServices.GetRequiredService<FailedAuthLimiter>().TryRecordFailure(http)
            ? TypedResults.Problem(Unauthorized())
            : RateLimits.TooManyRequests("too many requests without a valid API key; wait a minute.");

    /// <summary>When reads need a key: every /api request without one is refused.</summary>
    public static IApplicationBuilder UseReadApiKey(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var options = http.RequestServices.GetRequiredService<ApiKeyOptions>();
            // Writes are checked by their endpoint filter (with their own scope); reads here.
            if (options.ReadsNeedKey && http.Request.Path.StartsWithSegments("/api") && HttpMethods.IsGet(http.Request.Method)
                && !http.Request.Path.StartsWithSegments(Experiments.ExperimentSpecSchema.Url)
                && !ReadSession.IsValid(http, options, DateTimeOffset.UtcNow)
                && await AuthorizeAsync(http, ApiScopes.Read) is { } refused)
            {
                await refused.ExecuteAsync(http);
                return;
            }
            await next(http);
        });
}
