namespace HpSearch.Api;

/// <summary>Per-client limits ("RateLimits" section); a client is its remote address. Over a limit the answer is 429.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Writes (POST, PUT, DELETE) a client may send per minute.</summary>
    public int WritesPerMinute { get; set; } = 120;

    /// <summary>Requests with a missing or wrong API key a client may send per minute before it gets 429 instead of 401.</summary>
    public int FailedAuthPerMinute { get; set; } = 20;

    /// <summary>Live-update streams (server-sent events) one client may hold open at once.</summary>
    public int StreamsPerClient { get; set; } = 8;

    public bool IsValid => WritesPerMinute >= 1 && FailedAuthPerMinute >= 1 && StreamsPerClient >= 1;
}
