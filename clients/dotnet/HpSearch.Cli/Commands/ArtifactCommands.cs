using System.CommandLine;
using HpSearch.Cli.Output;

namespace HpSearch.Cli.Commands;

/// <summary>artifacts ls EXPERIMENT | get TRIAL NAME [-o FILE]: the files a completed experiment kept (docs/artifacts.md).</summary>
public static class ArtifactCommands
{
    public static void AddTo(RootCommand root, Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run)
    {
        var artifacts = new Command("artifacts", "The checkpoints and files a completed experiment kept of its best trials.");

        var experiment = new Argument<Guid>("experiment") { Description = "The experiment's id." };
        var ls = new Command("ls", "List the kept files.") { experiment };
        ls.SetAction(run(async (cx, p, ct) =>
        {
            var list = await cx.Client.ListExperimentArtifactsAsync(p.GetValue(experiment), ct);
            if (cx.Json) cx.WriteJson(list);
            else Render.Table(cx, ["trial", "trial id", "name", "kind", "bytes", "expires"], list.Select(a => new[]
            {
                $"#{a.TrialNumber}", a.TrialId.ToString(), a.Name, a.Kind, a.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a.ExpiresAt?.ToString("u") ?? "never",
            }));
            return ExitCodes.Ok;
        }));

        var trial = new Argument<Guid>("trial") { Description = "The trial's id." };
        var name = new Argument<string>("name") { Description = "The file's name as listed." };
        var outFile = new Option<string?>("--output", "-o") { Description = "Where to write it (default: the name's last part, in this folder; '-' for stdout)." };
        var get = new Command("get", "Download one kept file.") { trial, name, outFile };
        get.SetAction(run(async (cx, p, ct) =>
        {
            var n = p.GetValue(name)!;
            var bytes = await cx.Client.DownloadArtifactAsync(p.GetValue(trial), n, ct);
            var target = p.GetValue(outFile) ?? n[(n.LastIndexOf('/') + 1)..];
            if (target == "-")
            {
                await cx.Output.FlushAsync(ct);
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, ct);
                return ExitCodes.Ok;
            }
            await File.WriteAllBytesAsync(target, bytes, ct);
            if (!cx.Json) cx.Output.WriteLine($"{target}: {bytes.Length} bytes");
            return ExitCodes.Ok;
        }));

        artifacts.Subcommands.Add(ls);
        artifacts.Subcommands.Add(get);
        root.Subcommands.Add(artifacts);
    }
}
