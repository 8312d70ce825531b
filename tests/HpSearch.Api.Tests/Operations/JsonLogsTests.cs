using System.Text.Json;
using HpSearch.Api.Tests.Cluster;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Operations;

/// <summary>HpSearch:JsonLogs=true turns a node's console logs into one JSON object a line (a real worker node process).</summary>
public sealed class JsonLogsTests
{
    [Theory]
    [InlineData("HpSearch__JsonLogs", "true")]
    [InlineData("Logging__Console__FormatterName", "json")]
    public async Task AWorkerNode_WritesOneJsonObjectALine_WhenAsked(string setting, string value)
    {
        await using var api = await ApiFactory.StartAsync(slots: 1, workers: false);
        using var node = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__HpSearch"] = api.Database.ConnectionString,
            ["HpSearch__DataDirectory"] = api.DataDirectory,
            ["Workers__Enabled"] = "true",
            ["Workers__Slots"] = "1",
            ["Workers__NodeName"] = "json-logs",
            ["Logging__LogLevel__Default"] = "Information",
            [setting] = value,
        });
        // The host logs "Application started" (Microsoft.Hosting.Lifetime) once the node runs.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!node.Output.Contains("Application started", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !node.HasExited)
            await Task.Delay(200);
        await node.StopAsync();
        var lines = node.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.Contains("Application started", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line); // throws on a line that is not one JSON object
            Assert.True(doc.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(doc.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(doc.RootElement.TryGetProperty("Message", out _), line);
        }
    }
}
