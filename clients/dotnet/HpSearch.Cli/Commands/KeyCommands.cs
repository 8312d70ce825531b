using System.CommandLine;
using HpSearch.Cli.Output;

namespace HpSearch.Cli.Commands;

/// <summary>keys ls | create NAME --scope S... | revoke ID (an admin key).</summary>
public static class KeyCommands
{
    public static void AddTo(RootCommand root, Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run)
    {
        var keys = new Command("keys", "API keys: list, create, revoke (needs an admin key).");

        var ls = new Command("ls", "List keys (never the keys themselves).");
        ls.SetAction(run(async (cx, _, ct) =>
        {
            var list = await cx.Client.ListKeysAsync(ct);
            if (cx.Json) cx.WriteJson(list);
            else Render.Table(cx, ["id", "name", "prefix", "scopes", "revoked"], list.Select(k => new[]
            {
                k.Id.ToString(), k.Name, k.Prefix, string.Join(',', k.Scopes), k.RevokedAt?.ToString("u") ?? "-",
            }));
            return ExitCodes.Ok;
        }));

        var name = new Argument<string>("name") { Description = "What the key is for." };
        var scope = new Option<string[]>("--scope") { Description = "read, write or admin (repeat for several).", Required = true, AllowMultipleArgumentsPerToken = true };
        scope.AcceptOnlyFromAmong("read", "write", "admin");
        var create = new Command("create", "Create a key; it is shown once.") { name, scope };
        create.SetAction(run(async (cx, p, ct) =>
        {
            var key = await cx.Client.CreateKeyAsync(p.GetValue(name)!, p.GetValue(scope)!, ct);
            if (cx.Json) cx.WriteJson(key);
            else cx.Output.WriteLine(key.Key);
            return ExitCodes.Ok;
        }));

        var id = new Argument<Guid>("id") { Description = "The key's id." };
        var revoke = new Command("revoke", "Revoke a key at once.") { id };
        revoke.SetAction(run(async (cx, p, ct) =>
        {
            await cx.Client.RevokeKeyAsync(p.GetValue(id), ct);
            if (!cx.Json) cx.Output.WriteLine($"revoked {p.GetValue(id)}");
            return ExitCodes.Ok;
        }));

        keys.Subcommands.Add(ls);
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        root.Subcommands.Add(keys);
    }
}
