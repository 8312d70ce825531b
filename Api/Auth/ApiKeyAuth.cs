using System.Security.Cryptography;
using System.Text;
using HpSearch.Workers;
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

    public static bool IsValid(HttpContext http, ApiKeyOptions options)
    {
        var presented = http.Request.Headers[Header].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(options.ApiKey));
    }

    public static ProblemDetails Unauthorized() => new()
    {
        Status = StatusCodes.Status401Unauthorized,
        Title = "Unauthorized",
        Detail = $"this request needs a valid API key in the {Header} header.",
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    };

    public static RouteHandlerBuilder RequireApiKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<ApiKeyOptions>();
            return IsValid(context.HttpContext, options) ? await next(context) : Refuse(context.HttpContext);
        }).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
          .RequireRateLimiting(RateLimits.Writes);

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
            if (options.ReadsNeedKey && http.Request.Path.StartsWithSegments("/api") && !IsValid(http, options))
            {
                await Refuse(http).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
}
