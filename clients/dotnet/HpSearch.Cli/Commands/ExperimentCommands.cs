using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HpSearch.Cli.Output;
using HpSearch.Client;
using Spectre.Console;

namespace HpSearch.Cli.Commands;

/// <summary>submit, ls, show, trials, cancel, export, watch; tag, note, resume, retry, extend.</summary>
public static class ExperimentCommands
{
    /// <summary>tag, note, resume, retry, extend: an experiment kept, labelled and continued.</summary>
    private static IEnumerable<Command> KeepingCommands(
        Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run)
    {
        Command Verb(string name, string description, Func<HpSearchClient, Guid, ParseResult, CancellationToken, Task<Experiment>> call,
            Func<Experiment, string> said, params Symbol[] more)
        {
            var id = new Argument<Guid>("id") { Description = "The experiment's id." };
            var command = new Command(name, description) { id };
            foreach (var m in more)
            {
                if (m is Argument a) command.Arguments.Add(a);
                else if (m is Option o) command.Options.Add(o);
            }
            command.SetAction(run(async (cx, p, ct) =>
            {
                var experiment = await call(cx.Client, p.GetValue(id), p, ct);
                if (cx.Json) cx.WriteJson(experiment);
                else cx.Output.WriteLine(said(experiment));
                return ExitCodes.Ok;
            }));
            return command;
        }

        var tags = new Argument<string[]>("tags") { Description = "The experiment's tags (all of them; none removes every tag).", Arity = ArgumentArity.ZeroOrMore };
        yield return Verb("tag", "Set an experiment's tags.", (c, id, p, ct) => c.EditExperimentAsync(id, p.GetValue(tags) ?? [], null, ct),
            e => $"{e.Id} ({e.Name}) tags: {string.Join(' ', e.Tags ?? [])}", tags);
        var text = new Argument<string>("text") { Description = "The note (empty removes it)." };
        yield return Verb("note", "Set an experiment's note.", (c, id, p, ct) => c.EditExperimentAsync(id, null, p.GetValue(text) ?? "", ct),
            e => $"{e.Id} ({e.Name}) note: {e.Note ?? "(none)"}", text);
        yield return Verb("resume", "Resume a cancelled or failed experiment.", (c, id, _, ct) => c.ResumeExperimentAsync(id, ct),
            e => $"resuming {e.Id} ({e.Name}): {e.Status}");
        yield return Verb("retry", "Run an experiment's failed trials again.", (c, id, _, ct) => c.RetryFailedTrialsAsync(id, ct),
            e => $"retrying the failed trials of {e.Id} ({e.Name}): {e.Status}");
        var maxTrials = new Option<int>("--max-trials") { Description = "The new trial budget (above the current one).", Required = true };
        yield return Verb("extend", "Give a finished random or TPE experiment more trials.", (c, id, p, ct) => c.ExtendExperimentAsync(id, p.GetValue(maxTrials), ct),
            e => $"extending {e.Id} ({e.Name}) to {e.MaxTrials} trials: {e.Status}", maxTrials);
    }

    public static void AddTo(RootCommand root, Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run)
    {
        var file = new Argument<FileInfo>("spec") { Description = "The experiment spec (JSON; schema at /api/schema/experiment-spec.json)." };
        var watchFlag = new Option<bool>("--watch") { Description = "Follow the experiment until it finishes." };
        var idempotency = new Option<string?>("--idempotency-key") { Description = "Submitting again with the same key returns the first experiment." };
        var submitInterval = IntervalOption();
        var submit = new Command("submit", "Submit an experiment spec.") { file, watchFlag, idempotency, submitInterval };
        submit.SetAction(run(async (cx, p, ct) =>
        {
            var spec = ReadJson(p.GetValue(file)!);
            var experiment = await cx.Client.CreateExperimentAsync(spec, p.GetValue(idempotency), ct);
            if (p.GetValue(watchFlag)) return await Watcher.RunAsync(cx, experiment.Id, Interval(p, submitInterval), ct);
            if (cx.Json) cx.WriteJson(experiment);
            else if (cx.Terminal) cx.Console.MarkupLineInterpolated($"submitted [bold]{experiment.Name}[/]: {experiment.Id} ({experiment.Status})");
            else cx.Output.WriteLine(experiment.Id);
            return ExitCodes.Ok;
        }));

        var status = new Option<string?>("--status") { Description = "Only this status." };
        var page = new Option<int?>("--page") { Description = "Page number (from 1)." };
        var pageSize = new Option<int?>("--page-size") { Description = "Rows per page." };
        var search = new Option<string?>("--search", "-q") { Description = "Only names containing this (any case)." };
        var tagFilter = new Option<string[]>("--tag") { Description = "Only experiments with this tag (repeat for several)." };
        var dataset = new Option<string?>("--dataset") { Description = "Only this data set." };
        var trainer = new Option<string?>("--trainer") { Description = "Only this trainer." };
        var listSort = new Option<string?>("--sort") { Description = "createdAt (default), name, status, dataset, trainer, bestValue or finishedAt." };
        var order = new Option<string?>("--order") { Description = "asc or desc." };
        var ls = new Command("ls", "List experiments, newest first, or searched and sorted.") { status, page, pageSize, search, tagFilter, dataset, trainer, listSort, order };
        ls.SetAction(run(async (cx, p, ct) =>
        {
            var query = new ExperimentQuery(p.GetValue(status), p.GetValue(search), p.GetValue(tagFilter), p.GetValue(dataset), p.GetValue(trainer),
                p.GetValue(listSort), p.GetValue(order));
            var result = await cx.Client.ListExperimentsAsync(query, p.GetValue(page), p.GetValue(pageSize), ct);
            if (cx.Json) cx.WriteJson(result);
            else Render.Experiments(cx, result);
            return ExitCodes.Ok;
        }));

        var id = new Argument<Guid>("id") { Description = "The experiment's id." };
        var show = new Command("show", "Show an experiment: status, counts, best trial.") { id };
        show.SetAction(run(async (cx, p, ct) =>
        {
            var experiment = await cx.Client.GetExperimentAsync(p.GetValue(id), ct);
            if (cx.Json) cx.WriteJson(experiment);
            else Render.Experiment(cx, experiment);
            return ExitCodes.Ok;
        }));

        var sort = new Option<string>("--sort") { Description = "number or value (best first).", DefaultValueFactory = _ => "number" };
        sort.AcceptOnlyFromAmong("number", "value");
        var trialStatus = new Option<string?>("--status") { Description = "Only this status (running, completed, pruned, ...)." };
        var trialsId = new Argument<Guid>("id") { Description = "The experiment's id." };
        var trials = new Command("trials", "List an experiment's trials.") { trialsId, sort, trialStatus, page, pageSize };
        trials.SetAction(run(async (cx, p, ct) =>
        {
            var result = await cx.Client.ListTrialsAsync(p.GetValue(trialsId), p.GetValue(trialStatus), p.GetValue(sort), p.GetValue(page), p.GetValue(pageSize), ct);
            if (cx.Json) cx.WriteJson(result);
            else Render.Trials(cx, result);
            return ExitCodes.Ok;
        }));

        var cancelId = new Argument<Guid>("id") { Description = "The experiment's id." };
        var cancel = new Command("cancel", "Cancel a queued or running experiment.") { cancelId };
        cancel.SetAction(run(async (cx, p, ct) =>
        {
            var experiment = await cx.Client.CancelExperimentAsync(p.GetValue(cancelId), ct);
            if (cx.Json) cx.WriteJson(experiment);
            else cx.Output.WriteLine($"cancelling {experiment.Id} ({experiment.Name}); running trials stop at their next epoch.");
            return ExitCodes.Ok;
        }));

        var exportId = new Argument<Guid>("id") { Description = "The experiment's id." };
        var csv = new Option<bool>("--csv") { Description = "One CSV row per trial (the default)." };
        var outFile = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file instead of the output." };
        var export = new Command("export", "Export every trial as CSV or JSON.") { exportId, csv, outFile };
        export.SetAction(run(async (cx, p, ct) =>
        {
            // --json (the global flag) exports a JSON array of trials.
            if (p.GetValue(csv) && cx.Json) throw new UsageException("choose one of --csv and --json.");
            var text = await cx.Client.ExportExperimentAsync(p.GetValue(exportId), cx.Json ? ExportFormat.Json : ExportFormat.Csv, ct);
            if (p.GetValue(outFile) is { } f) await File.WriteAllTextAsync(f.FullName, text, ct);
            else await cx.Output.WriteAsync(text);
            return ExitCodes.Ok;
        }));

        var watchId = new Argument<Guid>("id") { Description = "The experiment's id." };
        var interval = IntervalOption();
        var watch = new Command("watch", "Follow an experiment until it finishes; exit 0 when it completed, 1 otherwise.") { watchId, interval };
        watch.SetAction(run(async (cx, p, ct) => await Watcher.RunAsync(cx, p.GetValue(watchId), Interval(p, interval), ct)));

        foreach (var c in new[] { submit, ls, show, trials, cancel, export, watch }) root.Subcommands.Add(c);
        foreach (var c in KeepingCommands(run)) root.Subcommands.Add(c);
    }

    private static Option<double> IntervalOption() =>
        new("--interval") { Description = "Seconds between refreshes while watching (0.1–3600).", DefaultValueFactory = _ => 1.0 };

    private static TimeSpan Interval(ParseResult parse, Option<double> option)
    {
        var seconds = parse.GetValue(option);
        if (!double.IsFinite(seconds) || seconds is < 0.1 or > 3600) throw new UsageException("--interval must be between 0.1 and 3600 seconds.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Reads a JSON file; a missing or malformed file is a usage error naming it.</summary>
    public static JsonElement ReadJson(FileInfo file)
    {
        if (!file.Exists) throw new UsageException($"{file.FullName} does not exist.");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file.FullName));
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"{file.Name} is not valid JSON: {e.Message}");
        }
    }

    public static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
}
