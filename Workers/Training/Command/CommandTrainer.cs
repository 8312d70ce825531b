using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpSearch.Domain.Parameters;
using HpSearch.Persistence.Experiments;
using Microsoft.Extensions.Logging;
using HpSearch.Workers.Training;

namespace HpSearch.Workers.Training.Command;

/// <summary>
/// Runs an operator-configured program per trial (a PyTorch script on a GPU node, anything): parameters as arguments and
/// as JSON in <c>HPSEARCH_PARAMS</c>; one JSON line per epoch on stdout (<see cref="EpochLine"/>) goes to the observer,
/// which applies the same stopping rules as for built-in runs; a stop ends the process (SIGTERM, SIGKILL after the grace
/// period). Exit code ≠ 0 or no epoch line within the timeout fails the trial with the tail of stderr. No checkpoints:
/// the test split is not evaluated for command trainers.
/// </summary>
public sealed partial class CommandTrainer(CommandTrainerOptions options, ILogger<CommandTrainer> logger) : ITrainer
{
    /// <summary>How many stderr lines a failure message keeps.</summary>
    public const int StderrTailLines = 50;

    public string Name => options.Name;

    /// <summary>Open parameters; the declared <see cref="CommandTrainerOptions.Metrics"/>, if any, are the objectives it accepts.</summary>
    public ParameterSchema Schema { get; } = options.Metrics.Count == 0
        ? ParameterSchema.Open
        : new ParameterSchema(ParameterSchema.Open.Rules, ParameterSchema.Open.OpenRule) { Metrics = options.Metrics.ToHashSet(StringComparer.Ordinal) };

    public CommandTrainerOptions Options => options;

    public async Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        await observer.OnRunAsync(Name, SlotDevice.Of(request.Pool, request.Slot), cancellationToken).ConfigureAwait(false);
        using var folder = ArtifactFolder.Create(request);
        var startInfo = StartInfo(request);
        startInfo.Environment["HPSEARCH_ARTIFACT_DIR"] = folder.Path;
        using var process = new Process { StartInfo = startInfo };
        var stderr = new StderrTail(StderrTailLines);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Add(e.Data); };
        var grace = TimeSpan.FromSeconds(Math.Max(0, options.GracePeriodSeconds));
        if (!process.Start()) throw new InvalidOperationException($"command trainer '{Name}': '{options.Executable}' did not start.");
        process.BeginErrorReadLine();

        var malformed = 0;
        string? firstMalformed = null;
        var epochs = 0;
        var started = DateTime.UtcNow;
        var lines = new BoundedLineReader(process.StandardOutput, Math.Max(256, options.MaxLineLength));
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var overall = options.MaxRunSeconds > 0 ? TimeSpan.FromSeconds(options.MaxRunSeconds) - (DateTime.UtcNow - started) : TimeSpan.MaxValue;
                var silence = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds));
                var overallFirst = overall < silence;
                idle.CancelAfter(overallFirst ? TimeSpan.FromMilliseconds(Math.Max(1, overall.TotalMilliseconds)) : silence);
                string? line;
                try
                {
                    line = await lines.ReadLineAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await ProcessSignals.TerminateAsync(process, grace);
                    throw new TimeoutException((overallFirst
                            ? $"command trainer '{Name}' ran longer than its limit of {options.MaxRunSeconds} s and was stopped."
                            : $"command trainer '{Name}' printed nothing for {options.TimeoutSeconds} s and was stopped.")
                        + Describe(malformed, firstMalformed) + stderr.Describe());
                }
                if (line is null) break;
                if (line.Trim().Length == 0) continue;

                var report = EpochLine.TryParse(line, out var error);
                if (report is null)
                {
                    // Reported, not fatal: a stray print on stdout must not cost a night's run.
                    malformed++;
                    firstMalformed ??= $"'{Shorten(line)}': {error}";
                    LogMalformed(logger, Name, request.TrialId, Shorten(line));
                    continue;
                }
                epochs = Math.Max(epochs, report.Epoch);
                var goOn = await observer.OnEpochAsync(report, cancellationToken);
                if (!goOn)
                {
                    await ProcessSignals.TerminateAsync(process, grace);
                    await ReportMalformedAsync(observer, malformed);
                    return new TrainOutcome(TrainStatus.Stopped, Files: Collect(folder, request));
                }
                if (Diverged(report))
                {
                    await ProcessSignals.TerminateAsync(process, grace);
                    await ReportMalformedAsync(observer, malformed);
                    return new TrainOutcome(TrainStatus.Diverged, $"the loss became NaN or infinite at epoch {report.Epoch}.");
                }
            }

            await process.WaitForExitAsync(cancellationToken);
            process.WaitForExit(); // drains the stderr reader
            if (process.ExitCode != 0)
                throw new CommandTrainerException($"command trainer '{Name}' exited with code {process.ExitCode} after {epochs} epoch(s)."
                    + Describe(malformed, firstMalformed) + stderr.Describe());
            if (epochs == 0)
                throw new CommandTrainerException($"command trainer '{Name}' exited without printing an epoch line."
                    + Describe(malformed, firstMalformed) + stderr.Describe());
            await ReportMalformedAsync(observer, malformed);
            return new TrainOutcome(TrainStatus.Completed, Files: Collect(folder, request));
        }
        finally
        {
            // Whatever happened (node stopping, observer failure), the program does not outlive its trial.
            if (!process.HasExited) await ProcessSignals.TerminateAsync(process, grace);
        }
    }

    private IReadOnlyList<Persistence.Artifacts.ArtifactFile> Collect(ArtifactFolder folder, TrainRequest request)
    {
        var files = folder.Collect(options.MaxArtifactBytes, options.MaxArtifactFiles, out var skipped);
        if (skipped.Count > 0) LogArtifactsSkipped(logger, Name, request.TrialId, skipped.Count, string.Join(", ", skipped.Take(5)));
        return files;
    }

    public Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken) =>
        Task.FromResult<TestResult?>(null);

    private ProcessStartInfo StartInfo(TrainRequest request)
    {
        // setsid makes the program lead its own process group, so a stop reaches everything it started.
        var psi = new ProcessStartInfo(ProcessSignals.SetSid ?? options.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        if (ProcessSignals.SetSid is not null) psi.ArgumentList.Add(options.Executable);
        var paramsJson = WireJson.Serialize(request.Params);
        foreach (var a in options.Arguments) psi.ArgumentList.Add(Expand(a, request, paramsJson));
        // Only what the operator configured: the worker's own secrets (connection string, API key) never reach the program.
        var inherited = options.InheritedVariables.ToHashSet(StringComparer.Ordinal);
        foreach (var k in psi.Environment.Keys.ToList())
            if (!inherited.Contains(k)) psi.Environment.Remove(k);
        foreach (var (k, v) in options.Environment) psi.Environment[k] = v;
        psi.Environment["HPSEARCH_PARAMS"] = paramsJson;
        psi.Environment["HPSEARCH_SEED"] = request.Seed.ToString(CultureInfo.InvariantCulture);
        psi.Environment["HPSEARCH_MAX_EPOCHS"] = request.MaxEpochs.ToString(CultureInfo.InvariantCulture);
        psi.Environment["HPSEARCH_DATASET"] = request.Dataset;
        psi.Environment["HPSEARCH_TRIAL_ID"] = request.TrialId.ToString();
        // One GPU per slot: slot i of a gpu pool sees device i only.
        if (SlotDevice.IsGpuPool(request.Pool))
            psi.Environment["CUDA_VISIBLE_DEVICES"] = request.Slot.ToString(CultureInfo.InvariantCulture);
        return psi;
    }

    /// <summary>Replaces <c>{name}</c> placeholders in one left-to-right pass: a substituted value is never expanded again
    /// (a parameter value "{paramsJson}" stays as written); an unknown placeholder stays as written.</summary>
    public static string Expand(string template, TrainRequest request, string paramsJson)
    {
        var sb = new System.Text.StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            var value = name switch
            {
                "paramsJson" => paramsJson,
                "seed" => request.Seed.ToString(CultureInfo.InvariantCulture),
                "maxEpochs" => request.MaxEpochs.ToString(CultureInfo.InvariantCulture),
                "dataset" => request.Dataset,
                "trialId" => request.TrialId.ToString(),
                "slot" => request.Slot.ToString(CultureInfo.InvariantCulture),
                _ => request.Params.TryGetValue(name, out var v) ? Format(v) : null,
            };
            if (value is null)
            {
                // Not a placeholder: keep the brace and look for one further on.
                sb.Append('{');
                i = open + 1;
                continue;
            }
            sb.Append(value);
            i = close + 1;
        }
        return sb.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString()!,
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => WireJson.Serialize(value),
    };

    private static bool Diverged(EpochReport r) =>
        r.Metrics.TryGetValue("trainLoss", out var t) && !double.IsFinite(t)
        || r.Metrics.TryGetValue("valLoss", out var v) && !double.IsFinite(v);

    private static async Task ReportMalformedAsync(ITrainingObserver observer, int malformed)
    {
        if (malformed > 0) await observer.OnSummaryAsync("malformedLines", malformed, CancellationToken.None);
    }

    private static string Describe(int malformed, string? first) =>
        malformed == 0 ? "" : $" {malformed} malformed stdout line(s), the first: {first}.";

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command trainer {Name}, trial {TrialId}: {Count} artifact file(s) not kept (limits, or not regular files): {First}")]
    private static partial void LogArtifactsSkipped(ILogger logger, string name, Guid trialId, int count, string first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command trainer {Name}, trial {TrialId}: malformed stdout line {Line}")]
    private static partial void LogMalformed(ILogger logger, string name, Guid trialId, string line);
}
