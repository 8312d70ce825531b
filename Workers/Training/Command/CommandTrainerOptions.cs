namespace HpSearch.Workers.Training.Command;

/// <summary>One operator-configured command trainer, bound from the "Trainers:Commands" array on the worker side.
/// Never settable through the API: a command line from a request would be remote code execution.</summary>
public sealed class CommandTrainerOptions
{
    public const string Section = "Trainers:Commands";

    /// <summary>The name experiments give as <c>trainer</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The program to run (no shell: arguments are passed as they are).</summary>
    public string Executable { get; set; } = "";

    /// <summary>Argument templates: <c>{paramName}</c> is the trial's value, <c>{paramsJson}</c> all of them as JSON, and
    /// <c>{seed}</c>, <c>{maxEpochs}</c>, <c>{dataset}</c>, <c>{trialId}</c>, <c>{slot}</c>.</summary>
    public List<string> Arguments { get; set; } = [];

    public string? WorkingDirectory { get; set; }

    /// <summary>Environment variables for the program. The program gets only these, the worker's own values of
    /// <see cref="InheritedVariables"/>, and its HPSEARCH_* variables: never the worker's connection string or API key.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Names of the worker's environment variables passed through unchanged (what a program needs to run at all).</summary>
    public List<string> InheritedVariables { get; set; } = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ"];

    /// <summary>The metrics the program prints each epoch: an experiment's objective must be one of them. Empty: any
    /// well-formed name is accepted, and a trial whose epochs never name the objective fails.</summary>
    public List<string> Metrics { get; set; } = [];

    /// <summary>The pool this trainer is meant for (e.g. gpu); experiments using it name this pool.</summary>
    public string Pool { get; set; } = "cpu";

    /// <summary>The trial fails when the program prints nothing on stdout for this long (including before the first epoch).</summary>
    public int TimeoutSeconds { get; set; } = 3600;

    /// <summary>The trial fails when the program runs longer than this in all (0: no limit besides the budget).</summary>
    public int MaxRunSeconds { get; set; } = 24 * 3600;

    /// <summary>Longest stdout line read; a longer one is cut and counted as malformed (a runaway print cannot fill memory).</summary>
    public int MaxLineLength { get; set; } = 64 * 1024;

    /// <summary>Time between SIGTERM and SIGKILL when a run is stopped (pruned, cancelled, timed out).</summary>
    public int GracePeriodSeconds { get; set; } = 10;

    /// <summary>Most bytes kept from a run's artifact folder (<c>HPSEARCH_ARTIFACT_DIR</c>); files past it are skipped and logged.</summary>
    public long MaxArtifactBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most files kept from a run's artifact folder.</summary>
    public int MaxArtifactFiles { get; set; } = 100;
}
