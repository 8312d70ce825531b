using System.Text.Json;
using HpSearch.Cli.Commands;
using HpSearch.Client;
using Spectre.Console;

namespace HpSearch.Cli.Output;

/// <summary>Tables on a terminal; tab-separated lines with a header otherwise (for cut, awk and friends).</summary>
public static class Render
{
    public static void Experiments(CliContext cx, Paged<Experiment> page) => Table(cx,
        ["id", "name", "status", "strategy", "trials", "best"],
        page.Items.Select(e => new[]
        {
            e.Id.ToString(), e.Name, e.Status, e.Strategy, $"{e.TrialCounts.Finished}/{e.MaxTrials}", Best(e),
        }));

    /// <summary>An experiment's result in one cell: its best value, or with several objectives its front's size and each
    /// objective's best value on the front ("front 4: max valAccuracy 0.93, min parameters 120").</summary>
    public static string Best(Experiment e)
    {
        if (e.Objectives.Count < 2) return ExperimentCommands.Number(e.BestValue);
        if (e.Front.Count == 0) return "front: none yet";
        var bests = e.Objectives.Select((o, i) =>
        {
            var values = e.Front.Select(m => m.Values[i]).Where(double.IsFinite).ToList();
            double? best = values.Count == 0 ? null : o.Direction == "maximize" ? values.Max() : values.Min();
            return $"{(o.Direction == "maximize" ? "max" : "min")} {o.Metric} {ExperimentCommands.Number(best)}";
        });
        return $"front {e.Front.Count}: {string.Join(", ", bests)}";
    }

    public static void Trials(CliContext cx, Paged<Trial> page) => Table(cx,
        ["number", "status", "epochs", "best", "params"],
        page.Items.Select(t => new[]
        {
            t.Number.ToString(), t.Status, $"{t.EpochCount}/{t.MaxEpochs}", ExperimentCommands.Number(t.BestValue), Params(t.Params),
        }));

    public static void Experiment(CliContext cx, Experiment e)
    {
        var c = e.TrialCounts;
        var lines = new List<(string, string)>
        {
            ("id", e.Id.ToString()), ("name", e.Name), ("status", e.Status), ("strategy", e.Strategy), ("trainer", e.Trainer),
            ("dataset", e.Dataset), ("objective", e.Objectives.Count > 1
                ? string.Join(", ", e.Objectives.Select(o => $"{o.Metric} ({o.Direction})"))
                : $"{e.Objective.Metric} ({e.Objective.Direction})"),
            ("trials", $"{c.Finished}/{e.MaxTrials} finished: {c.Completed} completed, {c.Pruned} pruned, {c.Running} running, {c.Queued} queued, {c.Failed} failed, {c.Diverged} diverged, {c.Cancelled} cancelled"),
            ("best", e.BestTrialNumber is null ? "-" : $"{ExperimentCommands.Number(e.BestValue)} (trial {e.BestTrialNumber})"),
            ("epochs", $"{e.EpochsTrained} trained of {e.EpochsBudget}, {e.EpochsSaved} saved by early stopping"),
        };
        if (e.Objectives.Count > 1)
        {
            lines.Add(("front", Best(e)));
            lines.Add(("front trials", e.Front.Count == 0 ? "-" : string.Join("; ", e.Front.Select(m =>
                $"trial {m.Number}: {string.Join(", ", m.Values.Select(v => ExperimentCommands.Number(v)))}"))));
        }
        if (e.FailureReason is not null) lines.Add(("failure", e.FailureReason));
        if (e.BestTrial is { } best) lines.Add(("best params", Params(best.Params)));
        foreach (var (k, v) in lines)
            if (cx.Terminal) cx.Console.MarkupLine($"[bold]{Markup.Escape(k),-12}[/] {Markup.Escape(v)}");
            else cx.Output.WriteLine($"{k}\t{v}");
    }

    public static string Params(IReadOnlyDictionary<string, JsonElement> parameters) =>
        string.Join(" ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Value(p.Value)}"));

    private static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => ExperimentCommands.Number(v.GetDouble()),
        _ => v.GetRawText(),
    };

    public static void Table(CliContext cx, string[] headers, IEnumerable<string[]> rows)
    {
        if (!cx.Terminal)
        {
            cx.Output.WriteLine(string.Join('\t', headers));
            foreach (var r in rows) cx.Output.WriteLine(string.Join('\t', r));
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers) table.AddColumn(h);
        foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
        cx.Console.Write(table);
    }
}
