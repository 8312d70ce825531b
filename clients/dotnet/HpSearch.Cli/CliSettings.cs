using System.Text.Json;

namespace HpSearch.Cli;

/// <summary>Where the service is and which key to send: a flag, else the environment (HPSEARCH_URL, HPSEARCH_API_KEY), else
/// the config file (HPSEARCH_CONFIG, default ~/.config/hpsearch/config.json: <c>{"url": "...", "apiKey": "..."}</c>), else
/// the local service of <c>./hpsearch up</c> without a key.</summary>
public sealed record CliSettings(Uri Url, string? ApiKey)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static string ConfigPath(IReadOnlyDictionary<string, string?> environment) =>
        environment.GetValueOrDefault("HPSEARCH_CONFIG") is { Length: > 0 } path ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "hpsearch", "config.json");

    /// <exception cref="UsageException">The URL is not an absolute http(s) URL, or the config file is not valid JSON.</exception>
    public static CliSettings Resolve(string? urlFlag, string? keyFlag, IReadOnlyDictionary<string, string?> environment)
    {
        string? fileUrl = null, fileKey = null;
        var path = ConfigPath(environment);
        if (File.Exists(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                if (doc.RootElement.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String) fileUrl = u.GetString();
                if (doc.RootElement.TryGetProperty("apiKey", out var k) && k.ValueKind == JsonValueKind.String) fileKey = k.GetString();
            }
            catch (JsonException e)
            {
                throw new UsageException($"the config file {path} is not valid JSON: {e.Message}");
            }
        }
        var url = First(urlFlag, environment.GetValueOrDefault("HPSEARCH_URL"), fileUrl) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"'{url}' is not an http(s) URL (--url, HPSEARCH_URL or the config file).");
        return new CliSettings(uri, First(keyFlag, environment.GetValueOrDefault("HPSEARCH_API_KEY"), fileKey));
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
}

/// <summary>A usage error found by the command itself (exit code <see cref="ExitCodes.Usage"/>).</summary>
public sealed class UsageException(string message) : Exception(message);
