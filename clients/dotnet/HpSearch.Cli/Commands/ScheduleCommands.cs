using System.CommandLine;
using System.Text.Json;
using HpSearch.Cli.Output;
using HpSearch.Client;

namespace HpSearch.Cli.Commands;

/// <summary>schedules ls | create FILE | pause ID | resume ID | delete ID.</summary>
public static class ScheduleCommands
{
    public static void AddTo(RootCommand root, Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run)
    {
        var schedules = new Command("schedules", "Cron sweeps: list, create, pause, resume, delete.");

        var ls = new Command("ls", "List schedules.");
        ls.SetAction(run(async (cx, _, ct) =>
        {
            var list = await cx.Client.ListSchedulesAsync(ct);
            if (cx.Json) cx.WriteJson(list);
            else Render.Table(cx, ["id", "name", "cron", "timeZone", "enabled", "next", "runs"], list.Select(s => new[]
            {
                s.Id.ToString(), s.Name, s.Cron, s.TimeZone, s.Enabled ? "yes" : "paused", s.NextFireTime?.ToString("u") ?? "-", s.Runs.Count.ToString(),
            }));
            return ExitCodes.Ok;
        }));

        var file = new Argument<FileInfo>("file") { Description = "The schedule: name, cron, template (an experiment spec), and options." };
        var create = new Command("create", "Create a schedule from a JSON file.") { file };
        create.SetAction(run(async (cx, p, ct) =>
        {
            var body = ExperimentCommands.ReadJson(p.GetValue(file)!);
            ScheduleRequest request;
            try
            {
                request = body.Deserialize<ScheduleRequest>(new JsonSerializerOptions(JsonSerializerDefaults.Web))
                          ?? throw new UsageException("the schedule file is empty.");
            }
            catch (JsonException e)
            {
                throw new UsageException($"the schedule file does not read as a schedule: {e.Message}");
            }
            var schedule = await cx.Client.CreateScheduleAsync(request, ct);
            return Print(cx, schedule, "created");
        }));

        foreach (var (name, enabled, what) in new[] { ("pause", false, "paused"), ("resume", true, "resumed") })
        {
            var id = new Argument<Guid>("id") { Description = "The schedule's id." };
            var command = new Command(name, $"{char.ToUpperInvariant(name[0])}{name[1..]} a schedule.") { id };
            command.SetAction(run(async (cx, p, ct) =>
            {
                var current = await cx.Client.GetScheduleAsync(p.GetValue(id), ct);
                var schedule = await cx.Client.UpdateScheduleAsync(current.Id, current.ToRequest() with { Enabled = enabled }, ct);
                return Print(cx, schedule, what);
            }));
            schedules.Subcommands.Add(command);
        }

        var deleteId = new Argument<Guid>("id") { Description = "The schedule's id." };
        var delete = new Command("delete", "Delete a schedule (its experiments stay).") { deleteId };
        delete.SetAction(run(async (cx, p, ct) =>
        {
            await cx.Client.DeleteScheduleAsync(p.GetValue(deleteId), ct);
            if (!cx.Json) cx.Output.WriteLine($"deleted {p.GetValue(deleteId)}");
            return ExitCodes.Ok;
        }));

        schedules.Subcommands.Add(ls);
        schedules.Subcommands.Add(create);
        schedules.Subcommands.Add(delete);
        root.Subcommands.Add(schedules);
    }

    private static int Print(CliContext cx, Schedule s, string what)
    {
        if (cx.Json) cx.WriteJson(s);
        else cx.Output.WriteLine($"{what} {s.Id} ({s.Name}, {s.Cron} {s.TimeZone}, {(s.Enabled ? "enabled" : "paused")})");
        return ExitCodes.Ok;
    }
}
