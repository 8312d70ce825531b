using System.Threading.RateLimiting;

namespace HpSearch.Api;

/// <summary>Counts failed authentications per client; once a client's budget for the minute is spent, it gets 429.</summary>
public sealed class FailedAuthLimiter(PartitionedRateLimiter<string> limiter)
{
    /// <summary>Records one failure; false when the client has failed too often and should get 429 instead of 401.</summary>
    public bool TryRecordFailure(HttpContext http)
    {
        using var lease = limiter.AttemptAcquire(RateLimits.Client(http));
        return lease.IsAcquired;
    }
}
