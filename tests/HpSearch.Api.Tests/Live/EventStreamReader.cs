using System.Collections.Concurrent;

namespace HpSearch.Api.Tests.Live;

/// <summary>Reads one server-sent-event stream in the background and keeps every event (name, data) it received.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(string Name, string Data)> Events { get; } = new();

    private EventStreamReader(HttpClient client, string url) => _reading = Task.Run(() => ReadAsync(client, url));

    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string url)
    {
        var reader = new EventStreamReader(client, url);
        await reader._connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return reader;
    }

    public int Count(string name) => Events.Count(e => e.Name == name);

    private async Task ReadAsync(HttpClient client, string url)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
            using var lines = new StreamReader(body);
            string? name = null;
            while (await lines.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith(": connected", StringComparison.Ordinal)) _connected.TrySetResult();
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null) { Events.Enqueue((name, line[6..])); name = null; }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            _connected.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reading; } catch (OperationCanceledException) { }
    }
}
