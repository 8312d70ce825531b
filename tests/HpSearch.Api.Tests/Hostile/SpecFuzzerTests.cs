using System.Net;
using System.Net.Http.Headers;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Thousands of seeded mutations of a valid spec: never a 5xx, never a dropped connection. The fixture's API has no
/// worker pool, so an accepted spec never trains (and each has maxTrials 1 unless the mutation says otherwise).</summary>
public sealed class SpecFuzzerTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private const int Specs = 2000;
    private const int Concurrency = 4;

    [Fact]
    public async Task MutatedSpecs_NeverGet5xx_OrADroppedConnection()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HPSEARCH_FUZZ_SEED"), out var s) ? s : 20261201;
        var fuzzer = new SpecFuzzer(seed);
        var bodies = Enumerable.Range(0, Specs).Select(_ => fuzzer.Next()).ToList();
        var statuses = new int[Specs];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Specs), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            try
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await fixture.Client.PostAsync("/api/experiments", content, ct);
                statuses[i] = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(ct);
                if (statuses[i] >= 500) failures.Add($"#{i} → {statuses[i]}: {System.Text.Encoding.UTF8.GetString(bodies[i])} ⇒ {text}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                failures.Add($"#{i} dropped ({e.GetType().Name}: {e.Message}): {System.Text.Encoding.UTF8.GetString(bodies[i])}");
            }
        });
        Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} of {Specs} failed:\n{string.Join("\n", failures.Take(10))}");
        // The mutations must exercise both paths: most are refused, some are accepted.
        Assert.Contains(statuses, x => x == (int)HttpStatusCode.BadRequest);
        Assert.Contains(statuses, x => x == (int)HttpStatusCode.Created);
    }
}
