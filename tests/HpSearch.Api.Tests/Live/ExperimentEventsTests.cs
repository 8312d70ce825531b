using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HpSearch.Api.Tests.Live;

/// <summary>Live updates come from one change feed per node: the database work of N streams on an experiment is that of one,
/// events are deltas, and a database restart costs the streams a re-read, not their connection.</summary>
public sealed class ExperimentEventsTests
{
    private static readonly Dictionary<string, string> ManyStreams = new() { ["RateLimits:StreamsPerClient"] = "100" };

    [Fact]
    public async Task DatabaseCommandsPerSecond_DoNotGrowWithStreamCount_WhileEpochsArrive()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: ManyStreams);
        var client = api.CreateAuthorizedClient();
        var dbFactory = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        (Guid experiment, Guid trial) seeded;
        await using (var db = await dbFactory.CreateDbContextAsync()) seeded = await LiveSeed.RunningTrialAsync(db);
        await using var writer = new NpgsqlConnection(api.Database.ConnectionString);
        await writer.OpenAsync();
        var epoch = 0;

        async Task<(long Commands, List<EventStreamReader> Streams)> MeasureAsync(int streams)
        {
            var readers = new List<EventStreamReader>();
            for (var i = 0; i < streams; i++) readers.Add(await EventStreamReader.OpenAsync(client, $"/api/experiments/{seeded.experiment}/events"));
            for (var i = 0; i < 5; i++) { await LiveSeed.WriteEpochAsync(writer, seeded.trial, ++epoch); await Task.Delay(100); }
            using var counter = new CommandCounter(api.Database.Name);
            // 4 s at 10 epochs a second: the old streams polled three queries a second each (240 for 20 streams).
            for (var i = 0; i < 40; i++) { await LiveSeed.WriteEpochAsync(writer, seeded.trial, ++epoch); await Task.Delay(100); }
            await Task.Delay(600);
            return (counter.Count, readers);
        }

        var (one, oneStream) = await MeasureAsync(1);
        foreach (var r in oneStream) await r.DisposeAsync();
        var (twenty, streams) = await MeasureAsync(20);
        try
        {
            Assert.True(one > 0, "the one stream's changes were never read");
            Assert.True(twenty <= one * 1.5 + 10, $"20 streams caused {twenty} database commands, 1 stream {one}: the cost grows with the watchers");
            // Every stream got the deltas: this round's epochs and the trial's progress.
            foreach (var s in streams)
            {
                Assert.True(s.Count("epoch") >= 40, $"a stream saw {s.Count("epoch")} epoch events of 45");
                Assert.True(s.Count("trial") >= 1);
            }
            // The last epoch's event may still be on its way to a stream on a loaded machine: wait for it (bounded).
            int LastEpoch(EventStreamReader r) => JsonDocument.Parse(r.Events.Last(e => e.Name == "epoch").Data).RootElement.GetProperty("epoch").GetInt32();
            for (var wait = DateTime.UtcNow.AddSeconds(15); LastEpoch(streams[0]) != epoch && DateTime.UtcNow < wait;) await Task.Delay(100);
            var last = streams[0].Events.Last(e => e.Name == "epoch").Data;
            using var doc = JsonDocument.Parse(last);
            Assert.Equal(seeded.trial, doc.RootElement.GetProperty("trialId").GetGuid());
            Assert.Equal(epoch, doc.RootElement.GetProperty("epoch").GetInt32());
            Assert.Equal(epoch / 10000.0, doc.RootElement.GetProperty("metrics").GetProperty("valAccuracy").GetDouble(), 9);
        }
        finally
        {
            foreach (var r in streams) await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenStream_GetsResyncThenNewEpochs_AfterPostgresRestarts()
    {
        await using var pg = await PrivateCluster.StartAsync();
        var database = await TestDatabase.CreateAsync("live", pg.ConnectionString());
        await using var api = new ApiFactory(database, workers: false);
        _ = api.Server;
        var client = api.CreateAuthorizedClient();
        var dbFactory = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        (Guid experiment, Guid trial) seeded;
        await using (var db = await dbFactory.CreateDbContextAsync()) seeded = await LiveSeed.RunningTrialAsync(db);
        await using var stream = await EventStreamReader.OpenAsync(client, $"/api/experiments/{seeded.experiment}/events");
        var feed = api.Services.GetRequiredService<HpSearch.Api.Live.ChangeFeed>();
        await Polling.UntilAsync(() => Task.FromResult<JsonElement?>(feed.Connected ? default(JsonElement) : null), TimeSpan.FromSeconds(20), "the feed's first LISTEN");
        var connects = feed.Connects;

        await pg.StopAsync();
        await Task.Delay(1500);
        await pg.StartAgainAsync();
        await Polling.UntilAsync(() => Task.FromResult<JsonElement?>(feed.Connects > connects ? default(JsonElement) : null), TimeSpan.FromSeconds(30), "the feed to listen again");
        await Polling.UntilAsync(() => Task.FromResult<JsonElement?>(stream.Count("resync") > 0 ? default(JsonElement) : null), TimeSpan.FromSeconds(10), "a resync event on the open stream");

        await using var writer = new NpgsqlConnection(database.ConnectionString);
        await writer.OpenAsync();
        await LiveSeed.WriteEpochAsync(writer, seeded.trial, 1);
        await Polling.UntilAsync(() => Task.FromResult<JsonElement?>(stream.Count("epoch") > 0 ? default(JsonElement) : null), TimeSpan.FromSeconds(10), "the epoch written after the restart");
    }
}
