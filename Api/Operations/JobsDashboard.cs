using System.Net;
using System.Text;
using Hangfire;
using Hangfire.Dashboard;
using HpSearch.Api.Auth;

namespace HpSearch.Api.Operations;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c> for operators (queues, servers, retries, failures). Open from loopback; from
/// elsewhere it needs the API key (the <c>X-Api-Key</c> header, or as the password of HTTP Basic auth so a browser can
/// log in). From elsewhere a key with the read scope; read-only unless the key has the write scope.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (http, next) =>
        {
            var scopes = await ApiKeyAuth.ScopesOfAsync(http, PresentedKey(http));
            http.Items[ScopesItem] = scopes;
            if (!IsLoopback(http) && (scopes is null || !ApiScopes.Covers(scopes, ApiScopes.Read)))
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
            IsReadOnlyFunc = context => context.GetHttpContext().Items[ScopesItem] is not string scopes || !ApiScopes.Covers(scopes, ApiScopes.Write),
            DashboardTitle = "HpSearch jobs",
            AppPath = "/workers",
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    private const string ScopesItem = "hpsearch.jobs-dashboard.scopes";

    // A dual-stack listener sees an IPv4 client as ::ffff:a.b.c.d, which IPAddress.IsLoopback does not count as loopback.
    // No forwarded header is trusted: behind a proxy on this machine, every request counts as from loopback.
    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip
            ? IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)
            : http.Connection.LocalPort == 0; // in-memory test server

    /// <summary>The key from the <c>X-Api-Key</c> header, or the password of HTTP Basic auth (so a browser can log in).</summary>
    private static string PresentedKey(HttpContext http)
    {
        var header = http.Request.Headers[ApiKeyAuth.Header].ToString();
        if (header.Length > 0) return header;
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return "";
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            return pair[(pair.IndexOf(':') + 1)..];
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private sealed class PassThrough : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
