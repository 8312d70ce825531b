using System.Net.Http.Json;
using System.Text.Json;

namespace HpSearch.Api.Tests.Infrastructure;

public static class Polling
{
    /// <summary>Submits a spec (JSON text) and returns the new experiment's id; fails with the answer unless it is 201.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string spec)
    {
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(post.StatusCode == System.Net.HttpStatusCode.Created, await post.Content.ReadAsStringAsync());
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls an experiment until it reaches a finished status; fails with its last state on timeout.</summary>
    public static async Task<JsonElement> UntilFinishedAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
            if (last.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return last;
            await Task.Delay(250);
        }
        throw new TimeoutException($"experiment {id} did not finish in {timeout}: {last}");
    }

    public static Task<JsonElement> UntilAsync(Func<Task<JsonElement?>> probe, TimeSpan timeout, string what) =>
        UntilAsync(probe, timeout, () => what);

    /// <summary>Polls until <paramref name="probe"/> finds something; <paramref name="what"/> is read only on timeout, so a
    /// process's output in it is the output at that moment, not at the start.</summary>
    public static async Task<JsonElement> UntilAsync(Func<Task<JsonElement?>> probe, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for {what()}");
    }
}
