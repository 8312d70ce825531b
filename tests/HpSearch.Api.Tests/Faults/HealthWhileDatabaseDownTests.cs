using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Testing;

namespace HpSearch.Api.Tests.Faults;

/// <summary>Readiness follows the database: with PostgreSQL stopped (a private cluster), /health/ready answers 503 and
/// names the postgresql check; liveness stays 200; once PostgreSQL is back, ready is 200 again.</summary>
[Collection(FaultCollection.Name)]
public sealed class HealthWhileDatabaseDownTests
{
    [Fact]
    public async Task HealthReady_Is503NamingPostgres_WhileItIsDown_AndHealthyOnceItIsBack()
    {
        await using var pg = await PrivateCluster.StartAsync();
        var database = await TestDatabase.CreateAsync("health", pg.ConnectionString());
        await using var api = new ApiFactory(database, workers: false);
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await pg.StopAsync();
        var down = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var report = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", report.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await pg.StartAgainAsync();
        await Polling.UntilAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode ? default(JsonElement) : null,
            TimeSpan.FromSeconds(30), "ready again after PostgreSQL came back");
    }
}
