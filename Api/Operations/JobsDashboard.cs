using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using HpSearch.Api.Auth;

namespace HpSearch.Api.Operations;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c> for operators (queues, servers, retries, failures). Open from loopback; from
/// elsewhere it needs the API key (the <c>X-Api-Key</c> header, or as the password of HTTP Basic auth so a browser can
/// log in). Read-only unless the request carries the key: keys are single-level today, so the configured key may write.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (http, next) =>
        {
            if (!IsLoopback(http) && !HasKey(http))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"HpSearch jobs\"";
                await TypedResults.Problem(ApiKeyAuth.Unauthorized()).ExecuteAsync(http);
                return;
            }
            await next(http);
        }));
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new PassThrough()], // checked above, with a ProblemDetails answer
            IsReadOnlyFunc = context => !HasKey(context.GetHttpContext()),
            DashboardTitle = "HpSearch jobs",
            AppPath = "/workers",
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? IPAddress.IsLoopback(ip) : http.Connection.LocalPort == 0; // in-memory test server

    private static bool HasKey(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<ApiKeyOptions>();
        if (ApiKeyAuth.IsValid(http, options)) return true;
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            var password = pair[(pair.IndexOf(':') + 1)..];
            return password.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(options.ApiKey));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class PassThrough : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
