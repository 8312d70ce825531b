using System.Text.Json;
using HpSearch.Client;
using Spectre.Console;

namespace HpSearch.Cli;

/// <summary>What a command needs: the client, where to write, and how (<c>--json</c>, a terminal's tables and live view,
/// or plain lines when the output is a pipe or a file).</summary>
public sealed class CliContext(HpSearchClient client, TextWriter output, bool json, bool terminal)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public HpSearchClient Client { get; } = client;
    public TextWriter Output { get; } = output;
    public bool Json { get; } = json;
    public bool Terminal { get; } = terminal;

    /// <summary>Spectre's console on <see cref="Output"/> (colours and live updates only on a terminal).</summary>
    public IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
    });

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}
