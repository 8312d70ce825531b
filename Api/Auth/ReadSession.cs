using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HpSearch.Api.Auth;

/// <summary>
/// A read-only browser session for the dashboard when reads need a key: <c>POST /api/session</c> with a key holding the
/// read scope sets an HttpOnly, SameSite=Strict cookie carrying an expiring token signed with a secret derived from the
/// configured key (so every API node accepts it). EventSource streams and export links, which cannot send headers, carry
/// it. It grants GETs only: writes always need the header, so the cookie gives nothing to a cross-site request.
/// </summary>
public static class ReadSession
{
    public const string Cookie = "hpsearch_read";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static RouteHandlerBuilder MapReadSession(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/session", async (HttpContext http, ApiKeyOptions options, TimeProvider clock) =>
        {
            if (await ApiKeyAuth.AuthorizeAsync(http, ApiScopes.Read) is { } refused) return refused;
            var expires = clock.GetUtcNow() + Lifetime;
            http.Response.Cookies.Append(Cookie, Token(options, expires), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/api", Expires = expires,
            });
            return TypedResults.NoContent();
        }).WithTags("Keys").WithName("CreateReadSession").WithSummary("Start the dashboard's read session (a cookie)")
          .WithMetadata(new ApiKeyRequirement(ApiScopes.Read)).Produces(StatusCodes.Status204NoContent)
          .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>True when the request carries an unexpired session cookie signed by this deployment.</summary>
    public static bool IsValid(HttpContext http, ApiKeyOptions options, DateTimeOffset now)
    {
        var value = http.Request.Cookies[Cookie];
        if (value is null || value.Length > 200) return false;
        var dot = value.IndexOf('.');
        if (dot <= 0 || !long.TryParse(value.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (seconds < now.ToUnixTimeSeconds()) return false;
        var expected = Encoding.ASCII.GetBytes(Token(options, DateTimeOffset.FromUnixTimeSeconds(seconds)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(value));
    }

    private static string Token(ApiKeyOptions options, DateTimeOffset expires)
    {
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var secret = SHA256.HashData(Encoding.UTF8.GetBytes("hpsearch-read-session:" + options.ApiKey));
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{seconds}|read"));
        return $"{seconds}.{Convert.ToHexStringLower(mac)}";
    }
}
