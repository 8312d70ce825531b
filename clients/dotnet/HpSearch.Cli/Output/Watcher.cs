using HpSearch.Cli.Commands;
using HpSearch.Client;
using Spectre.Console;

namespace HpSearch.Cli.Output;

/// <summary>Follows an experiment until it finishes: trials by status, best value so far, epochs saved and a row per running
/// trial; a live view on a terminal, a line per change otherwise, the final detail with <c>--json</c>. Ends with the best
/// trial's parameters. Exit code 0 when it completed, <see cref="ExitCodes.Failed"/> when it failed or was cancelled.</summary>
public static class Watcher
{
    public static async Task<int> RunAsync(CliContext cx, Guid id, TimeSpan interval, CancellationToken cancellationToken)
    {
        Experiment experiment;
        if (cx.Terminal && !cx.Json)
        {
            experiment = await cx.Client.GetExperimentAsync(id, cancellationToken);
            var running = await RunningAsync(cx, id, cancellationToken);
            await cx.Console.Live(View(experiment, running)).StartAsync(async live =>
            {
                while (!experiment.IsFinished)
                {
                    await Task.Delay(interval, cancellationToken);
                    experiment = await cx.Client.GetExperimentAsync(id, cancellationToken);
                    running = experiment.IsFinished ? [] : await RunningAsync(cx, id, cancellationToken);
                    live.UpdateTarget(View(experiment, running));
                }
            });
        }
        else
        {
            string? last = null;
            while (true)
            {
                experiment = await cx.Client.GetExperimentAsync(id, cancellationToken);
                if (!cx.Json)
                {
                    var line = Progress(experiment);
                    if (line != last) cx.Output.WriteLine(line);
                    last = line;
                    if (!experiment.IsFinished)
                        foreach (var t in await RunningAsync(cx, id, cancellationToken))
                            cx.Output.WriteLine($"  running trial {t.Number}: epoch {t.EpochCount}/{t.MaxEpochs}, best {ExperimentCommands.Number(t.BestValue)}, {Render.Params(t.Params)}");
                }
                if (experiment.IsFinished) break;
                await Task.Delay(interval, cancellationToken);
            }
        }

        if (cx.Json) cx.WriteJson(experiment);
        else
        {
            cx.Output.WriteLine($"{experiment.Status}: {experiment.Name} ({experiment.Id})" + (experiment.FailureReason is { } why ? $": {why}" : ""));
            cx.Output.WriteLine(experiment.BestTrial is { } best
                ? $"best trial {best.Number}: {experiment.Objective.Metric} {ExperimentCommands.Number(best.BestValue)}; params {Render.Params(best.Params)}"
                : "no best trial.");
        }
        return experiment.Status == "completed" ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>One line of progress: status, trials by status, best so far (with several objectives the front), epochs saved.</summary>
    public static string Progress(Experiment e)
    {
        var c = e.TrialCounts;
        return $"{e.Status}: {c.Finished}/{e.MaxTrials} trials (completed {c.Completed}, pruned {c.Pruned}, running {c.Running}, queued {c.Queued}, failed {c.Failed + c.Diverged}), "
            + (e.Objectives.Count > 1 ? Render.Best(e) : $"best {ExperimentCommands.Number(e.BestValue)}" + (e.BestTrialNumber is { } n ? $" (trial {n})" : ""))
            + $", epochs saved {e.EpochsSaved}" + (e.CurrentStage is { } stage ? $", stage {stage}" : "");
    }

    private static async Task<IReadOnlyList<Trial>> RunningAsync(CliContext cx, Guid id, CancellationToken cancellationToken) =>
        (await cx.Client.ListTrialsAsync(id, status: "running", pageSize: 50, cancellationToken: cancellationToken)).Items;

    private static Rows View(Experiment e, IReadOnlyList<Trial> running)
    {
        var header = new Markup($"[bold]{Markup.Escape(e.Name)}[/] {Markup.Escape(e.Id.ToString())}");
        if (running.Count == 0) return new Rows(header, new Text(Progress(e)));
        var table = new Table().Border(TableBorder.Rounded).Title("running trials");
        foreach (var h in new[] { "trial", "epoch", "best", "params" }) table.AddColumn(h);
        foreach (var t in running)
            table.AddRow(t.Number.ToString(), $"{t.EpochCount}/{t.MaxEpochs}", ExperimentCommands.Number(t.BestValue), Markup.Escape(Render.Params(t.Params)));
        return new Rows(header, new Text(Progress(e)), table);
    }
}
