using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpSearch.Domain.Parameters;
using HpSearch.Workers.Experiments;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Training;

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

    public ParameterSchema Schema => ParameterSchema.Open;

    public CommandTrainerOptions Options => options;

    public async Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(request) };
        var stderr = new StderrTail(StderrTailLines);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Add(e.Data); };
        var grace = TimeSpan.FromSeconds(Math.Max(0, options.GracePeriodSeconds));
        if (!process.Start()) throw new InvalidOperationException($"command trainer '{Name}': '{options.Executable}' did not start.");
        process.BeginErrorReadLine();

        var malformed = 0;
        string? firstMalformed = null;
        var epochs = 0;
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)));
                string? line;
                try
                {
                    line = await process.StandardOutput.ReadLineAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await ProcessSignals.TerminateAsync(process, grace);
                    throw new TimeoutException($"command trainer '{Name}' printed nothing for {options.TimeoutSeconds} s and was stopped."
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
                    return new TrainOutcome(TrainStatus.Stopped);
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
            return new TrainOutcome(TrainStatus.Completed);
        }
        finally
        {
            // Whatever happened (node stopping, observer failure), the program does not outlive its trial.
            if (!process.HasExited) await ProcessSignals.TerminateAsync(process, grace);
        }
    }

    public Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken) =>
        Task.FromResult<TestResult?>(null);

    private ProcessStartInfo StartInfo(TrainRequest request)
    {
        var psi = new ProcessStartInfo(options.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        var paramsJson = WireJson.Serialize(request.Params);
        foreach (var a in options.Arguments) psi.ArgumentList.Add(Expand(a, request, paramsJson));
        foreach (var (k, v) in options.Environment) psi.Environment[k] = v;
        psi.Environment["HPSEARCH_PARAMS"] = paramsJson;
        psi.Environment["HPSEARCH_SEED"] = request.Seed.ToString(CultureInfo.InvariantCulture);
        psi.Environment["HPSEARCH_MAX_EPOCHS"] = request.MaxEpochs.ToString(CultureInfo.InvariantCulture);
        psi.Environment["HPSEARCH_DATASET"] = request.Dataset;
        psi.Environment["HPSEARCH_TRIAL_ID"] = request.TrialId.ToString();
        // One GPU per slot: slot i of a gpu pool sees device i only.
        if (request.Pool.StartsWith("gpu", StringComparison.OrdinalIgnoreCase))
            psi.Environment["CUDA_VISIBLE_DEVICES"] = request.Slot.ToString(CultureInfo.InvariantCulture);
        return psi;
    }

    /// <summary>Replaces <c>{name}</c> placeholders; an unknown one stays as written.</summary>
    public static string Expand(string template, TrainRequest request, string paramsJson)
    {
        var result = template
            .Replace("{paramsJson}", paramsJson, StringComparison.Ordinal)
            .Replace("{seed}", request.Seed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{maxEpochs}", request.MaxEpochs.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{dataset}", request.Dataset, StringComparison.Ordinal)
            .Replace("{trialId}", request.TrialId.ToString(), StringComparison.Ordinal)
            .Replace("{slot}", request.Slot.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var (k, v) in request.Params)
            result = result.Replace("{" + k + "}", Format(v), StringComparison.Ordinal);
        return result;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command trainer {Name}, trial {TrialId}: malformed stdout line {Line}")]
    private static partial void LogMalformed(ILogger logger, string name, Guid trialId, string line);
}
