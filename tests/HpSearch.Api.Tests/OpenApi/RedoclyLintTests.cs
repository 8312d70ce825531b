using System.Diagnostics;
using System.Text.Json;
using HpSearch.Testing.Hosting;
using Xunit.Abstractions;

namespace HpSearch.Api.Tests.OpenApi;

/// <summary>The OpenAPI document, fetched from the service on a real port, passes <c>@redocly/cli lint</c> (2.77.0, pinned in
/// tools/openapi-lint; <c>./hpsearch test</c> installs it) with its recommended rules: no errors; warnings are reported.</summary>
public sealed class RedoclyLintTests(ITestOutputHelper output)
{
    private static string Redocly()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HpSearch.sln"))) dir = dir.Parent;
        var bin = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "tools", "openapi-lint", "node_modules", ".bin", "redocly");
        return File.Exists(bin) ? bin : throw new InvalidOperationException(
            $"{bin} is missing: ./hpsearch test installs it (or run `npm ci` in tools/openapi-lint).");
    }

    [Fact]
    public async Task SwaggerDocument_HasNoRedoclyErrors_WithTheRecommendedRules()
    {
        var redocly = Redocly();
        await using var api = await KestrelApi.StartAsync();
        using var http = new HttpClient();
        var file = Path.Combine(Path.GetTempPath(), $"hpsearch-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await http.GetStringAsync(api.BaseUrl + "/swagger/v1/swagger.json"));
        try
        {
            var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "lint", file, "--extends=recommended", "--format=json" }) start.ArgumentList.Add(a);
            // No telemetry or update check: the npm registry is the only network this project uses.
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            using var report = JsonDocument.Parse(await stdout);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (Severity: p.GetProperty("severity").GetString(), Rule: p.GetProperty("ruleId").GetString(),
                    Message: p.GetProperty("message").GetString(), Where: p.GetProperty("location")[0].GetProperty("pointer").GetString()))
                .ToList();
            foreach (var p in problems) output.WriteLine($"{p.Severity} {p.Rule} {p.Where}: {p.Message}");
            Assert.Equal("2.77.0", report.RootElement.GetProperty("version").GetString());
            Assert.DoesNotContain(problems, p => p.Severity == "error");
            Assert.True(process.ExitCode == 0, await stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
