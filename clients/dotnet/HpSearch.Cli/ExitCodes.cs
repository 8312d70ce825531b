namespace HpSearch.Cli;

/// <summary>The command line's exit codes (README, docs/cli.md): scripts tell a typo from a bad key from a missing
/// experiment from a service that is down.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command worked but its outcome is a failure: a watched experiment failed or was cancelled.</summary>
    public const int Failed = 1;

    /// <summary>Bad flags or arguments, an unreadable file, or input the service refused (400, 409, 415, 422).</summary>
    public const int Usage = 2;

    /// <summary>No key, a wrong key, or a key without the scope (401, 403).</summary>
    public const int Auth = 3;

    /// <summary>No such experiment, trial, schedule or key (404).</summary>
    public const int NotFound = 4;

    /// <summary>The service failed (5xx), refused for load (429), or could not be reached.</summary>
    public const int Server = 5;
}
