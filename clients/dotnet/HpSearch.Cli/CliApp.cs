using System.CommandLine;
using System.Net;
using HpSearch.Cli.Commands;
using HpSearch.Client;

namespace HpSearch.Cli;

/// <summary>The command tree and the mapping of failures to <see cref="ExitCodes"/>.</summary>
public static class CliApp
{
    public static readonly Option<string?> Url = new("--url") { Description = $"The service (else HPSEARCH_URL, the config file, {CliSettings.DefaultUrl}).", Recursive = true };
    public static readonly Option<string?> ApiKey = new("--api-key") { Description = "The API key (else HPSEARCH_API_KEY or the config file).", Recursive = true };
    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts.", Recursive = true };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool terminal,
        IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("HpSearch: submit and follow hyperparameter searches.") { Url, ApiKey, Json };
        Func<Func<CliContext, ParseResult, CancellationToken, Task<int>>, Func<ParseResult, CancellationToken, Task<int>>> run =
            body => async (parse, ct) =>
            {
                var settings = CliSettings.Resolve(parse.GetValue(Url), parse.GetValue(ApiKey), environment);
                using var client = new HpSearchClient(settings.Url, settings.ApiKey);
                return await body(new CliContext(client, output, parse.GetValue(Json), terminal), parse, ct);
            };
        ExperimentCommands.AddTo(root, run);
        ScheduleCommands.AddTo(root, run);
        KeyCommands.AddTo(root, run);
        ArtifactCommands.AddTo(root, run);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync("run with --help for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (HpSearchApiException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodeOf(e.Status);
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: cannot reach the service: {e.Message}");
            return ExitCodes.Server;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("error: the service did not answer in time.");
            return ExitCodes.Server;
        }
    }

    public static int ExitCodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Auth,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.TooManyRequests => ExitCodes.Server,
        >= HttpStatusCode.InternalServerError => ExitCodes.Server,
        _ => ExitCodes.Usage,
    };
}
