using System.Globalization;
using System.Text.Json;
using HpSearch.Api.Experiments;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>The export streams an experiment of several read pages: every trial exactly once, in number order, with the
/// union of all trials' parameter names as CSV columns.</summary>
public sealed class ExportTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private const int Trials = ExperimentsApi.ExportPageSize * 2 + 7;

    [Fact]
    public async Task ExportCsv_StreamsEveryTrialOnceInOrder_AcrossReadPages()
    {
        var id = await SeedAsync();
        using var response = await fixture.Client.GetAsync($"/api/experiments/{id}/export?format=csv", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength); // written as it is read, not buffered whole
        Assert.Contains($"experiment-{id}.csv", response.Content.Headers.ContentDisposition?.ToString());

        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["number", "status", "stage", "lr", "momentum", "optimizer", "valAccuracy"], header[..7]);
        Assert.Equal(Trials + 1, lines.Length);
        var numbers = lines[1..].Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, Trials), numbers);

        var momentumColumn = Array.IndexOf(header, "momentum");
        var row2 = lines[2].Split(',');   // trial 2: sgd, has momentum
        var row3 = lines[3].Split(',');   // trial 3: adam, has none
        Assert.Equal("0.9", row2[momentumColumn]);
        Assert.Equal("", row3[momentumColumn]);
        Assert.Equal("0.5", lines[1].Split(',')[Array.IndexOf(header, "valAccuracy")]); // trial 1's best value
    }

    [Fact]
    public async Task ExportJson_IsOneArrayOfEveryTrial_WithBestEpochMetrics()
    {
        var id = await SeedAsync();
        using var response = await fixture.Client.GetAsync($"/api/experiments/{id}/export?format=json", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        var trials = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, Trials), trials.Select(t => t.GetProperty("number").GetInt32()));
        var first = trials[0];
        Assert.Equal(0.5, first.GetProperty("bestValue").GetDouble());
        Assert.Equal(0.5, first.GetProperty("best").GetProperty("valAccuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, trials[2].GetProperty("best").ValueKind);
    }

    [Fact]
    public async Task Export_OfAnExperimentWithNoTrials_IsTheHeaderOrAnEmptyArray()
    {
        var id = await SeedAsync(trials: 0);
        var csv = await fixture.Client.GetStringAsync($"/api/experiments/{id}/export?format=csv");
        Assert.Equal("number,status,stage,valAccuracy,bestEpoch,epochs,stopRule,testAccuracy,error\n", csv);
        var json = await fixture.Client.GetStringAsync($"/api/experiments/{id}/export?format=json");
        Assert.Equal("[]", json);
    }

    private async Task<Guid> SeedAsync(int trials = Trials)
    {
        using var scope = fixture.Api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
        var now = DateTimeOffset.UtcNow;
        var experiment = new Experiment
        {
            Id = Guid.NewGuid(), Name = "export", SpecJson = "{}", Strategy = "random", Trainer = "builtin",
            Dataset = "mnist", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = Math.Max(trials, 1),
            Parallelism = 1, MaxEpochs = 1, CreatedAt = now, UpdatedAt = now, FinishedAt = now,
        }.At(ExperimentStatus.Completed);
        db.Experiments.Add(experiment);
        TrialEpoch? epoch = null;
        // Inserted in reverse so the export's order comes from the query, not from the insertion order.
        for (var n = trials; n >= 1; n--)
        {
            var optimizer = n % 2 == 0 ? "sgd" : "adam";
            var parameters = optimizer == "sgd"
                ? $$"""{"lr": {{(0.001 * n).ToString("R", CultureInfo.InvariantCulture)}}, "optimizer": "sgd", "momentum": 0.9}"""
                : $$"""{"lr": {{(0.001 * n).ToString("R", CultureInfo.InvariantCulture)}}, "optimizer": "adam"}""";
            var trial = new Trial
            {
                Id = Guid.NewGuid(), ExperimentId = experiment.Id, Number = n, ParamsJson = parameters,
                MaxEpochs = 1, Seed = n, CreatedAt = now, UpdatedAt = now,
            }.At(TrialStatus.Completed);
            if (n == 1)
            {
                trial.EpochCount = 1;
                trial.BestEpoch = 1;
                trial.BestValue = 0.5;
                epoch = new TrialEpoch { TrialId = trial.Id, Epoch = 1, TrainLoss = 1.0, ValAccuracy = 0.5 };
            }
            db.Trials.Add(trial);
        }
        await db.SaveChangesAsync();
        if (epoch is not null)
        {
            db.TrialEpochs.Add(epoch); // the model has no navigation from an epoch to its trial, so it goes in after them
            await db.SaveChangesAsync();
        }
        return experiment.Id;
    }
}
