using System.Security.Cryptography;
using System.Text;
using HpSearch.Workers;
using Microsoft.AspNetCore.Mvc;

namespace HpSearch.Api.Auth;

/// <summary>API-key checks: an endpoint filter for writes, and middleware for reads when they need a key too.</summary>
public static class ApiKeyAuth
{
    public const string Header = "X-Api-Key";

    /// <summary>Reads the key from configuration (HpSearch:ApiKey), else from the data folder, else makes one there.</summary>
    public static ApiKeyOptions Load(IConfiguration configuration)
    {
        var options = new ApiKeyOptions
        {
            ApiKey = configuration["HpSearch:ApiKey"] ?? "",
            ReadsNeedKey = configuration.GetValue<bool>("HpSearch:ReadsNeedKey"),
        };
        if (options.ApiKey.Length > 0) return options;
        var dataDir = configuration.GetSection(HpSearchOptions.Section).Get<HpSearchOptions>()?.DataDirectory ?? new HpSearchOptions().DataDirectory;
        var file = Path.Combine(dataDir, "api-key");
        if (File.Exists(file)) options.ApiKey = File.ReadAllText(file).Trim();
        if (options.ApiKey.Length == 0)
        {
            Directory.CreateDirectory(dataDir);
            options.ApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            File.WriteAllText(file, options.ApiKey);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return options;
    }

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
            return IsValid(context.HttpContext, options) ? await next(context) : TypedResults.Problem(Unauthorized());
        }).ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>When reads need a key: every /api request without one is refused.</summary>
    public static IApplicationBuilder UseReadApiKey(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var options = http.RequestServices.GetRequiredService<ApiKeyOptions>();
            if (options.ReadsNeedKey && http.Request.Path.StartsWithSegments("/api") && !IsValid(http, options))
            {
                await TypedResults.Problem(Unauthorized()).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
}
