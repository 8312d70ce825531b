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

    /// <summary>Extra environment variables for the program.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>The pool this trainer is meant for (e.g. gpu); experiments using it name this pool.</summary>
    public string Pool { get; set; } = "cpu";

    /// <summary>The trial fails when the program prints nothing on stdout for this long (including before the first epoch).</summary>
    public int TimeoutSeconds { get; set; } = 3600;

    /// <summary>Time between SIGTERM and SIGKILL when a run is stopped (pruned, cancelled, timed out).</summary>
    public int GracePeriodSeconds { get; set; } = 10;
}
