using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HpSearch.Api;

/// <summary>The ASP.NET Core rate limiter: writes per client and minute, open live-update streams per client, and a
/// separate budget of failed authentications per client (used by the API-key checks).</summary>
public static class RateLimits
{
    public const string Writes = "writes";
    public const string Streams = "streams";

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.IsValid, "RateLimits: every limit must be at least 1.").ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            return new FailedAuthLimiter(PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = o.FailedAuthPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
                await TooManyRequests("this client sent too many requests; wait and retry.").ExecuteAsync(context.HttpContext);
            limiter.AddPolicy(Writes, http => RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.WritesPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
            limiter.AddPolicy(Streams, http => RateLimitPartition.GetConcurrencyLimiter(Client(http), _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.StreamsPerClient,
                QueueLimit = 0,
            }));
        });
        return services;
    }

    /// <summary>The client a limit counts against: its remote address.</summary>
    public static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    public static IResult TooManyRequests(string detail) => TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = StatusCodes.Status429TooManyRequests,
        Title = "Too many requests",
        Detail = detail,
        Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
    });
}
