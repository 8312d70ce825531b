using HpSearch.Benchmarks.Scale;
using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Tests.Experiments;

/// <summary>The epoch step on the real PostgreSQL: its decisions are those of the whole-curve check (the reload it replaced), and
/// the commands it sends do not grow with the experiment (decision 0018).</summary>
public sealed class TrialEpochsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("epochs");
        await using var db = MigrationsTests.Open(_database);
        await db.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private HpSearchDb Open(CommandLog? log = null)
    {
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, _database.ConnectionString);
        if (log is not null) options.AddInterceptors(log);
        return new HpSearchDb(options.Options);
    }

    public static TheoryData<string, string, bool> Rules => new()
    {
        { """{ "kind": "median", "startupTrials": 2, "warmupEpochs": 1 }""", "valAccuracy", true },
        { """{ "kind": "median", "startupTrials": 3, "warmupEpochs": 0, "patience": 2 }""", "valLoss", false },
        { """{ "kind": "asha", "minEpochs": 1, "reductionFactor": 2 }""", "valAccuracy", true },
        { """{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3, "patience": 3 }""", "valLoss", false },
        { """{ "kind": "asha", "minEpochs": 2, "reductionFactor": 2 }""", "trainAccuracy", true },
    };

    [Theory, MemberData(nameof(Rules))]
    public async Task Record_DecidesAsTheWholeCurveCheck_OnASeededSweepWithStagesAndNaNs(string stopping, string metric, bool maximize)
    {
        var spec = Spec(stopping, metric, maximize, epochs: 9);
        var experimentId = await AddExperimentAsync(spec, metric, maximize);
        var random = new Random(17);
        // 24 trials in two stages, run four at a time, epochs interleaved; a few curves go NaN, some report no objective at all.
        var trials = new List<(Guid Id, int Number, string? Stage, double Quality)>();
        await using (var db = Open())
        {
            for (var n = 0; n < 24; n++)
            {
                var t = new Trial
                {
                    Id = Guid.CreateVersion7(), ExperimentId = experimentId, Number = n, ParamsJson = "{}", MaxEpochs = 9, Attempt = 1,
                    Stage = n % 3 == 0 ? "refine" : null, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                }.At(TrialStatus.Running);
                db.Trials.Add(t);
                trials.Add((t.Id, n, t.Stage, random.NextDouble()));
            }
            await db.SaveChangesAsync();
        }

        var decided = 0;
        for (var wave = 0; wave < 6; wave++)
        {
            var running = trials.Skip(wave * 4).Take(4).ToList();
            var open = running.ToDictionary(t => t.Id, _ => true);
            for (var epoch = 1; epoch <= 9; epoch++)
                foreach (var (id, number, _, quality) in running.Where(t => open[t.Id]))
                {
                    var value = quality * (1 - Math.Exp(-epoch / 3.0)) + 0.05 * random.NextDouble();
                    if (!maximize) value = 2 - value;
                    var metrics = new Dictionary<string, double> { ["trainLoss"] = 1.0 };
                    if (!(number == 5 && epoch >= 2)) metrics[metric] = number == 7 && epoch == 3 ? double.NaN : value;
                    await using var db = Open();
                    var verdict = await TrialEpochs.RecordAsync(db, spec, experimentId, id, number, 1, true, epoch, metrics, null, null, null,
                        CancellationToken.None);
                    var records = await ExperimentStore.LoadTrialRecordsAsync(db, experimentId, CancellationToken.None);
                    var expected = StoppingRules.Check(spec, records.Single(r => r.Number == number), records);
                    Assert.Equal(expected, verdict.Decision);
                    if (verdict.Decision is null && epoch < 9) continue;
                    decided += verdict.Decision is null ? 0 : 1;
                    open[id] = false;
                    var status = verdict.Decision is { Pruned: true } ? TrialStatus.Pruned : TrialStatus.Completed;
                    Assert.True(await TrialWrites.FinishAsync(db, id, 1, status, null, null, null, 0, CancellationToken.None));
                }
        }
        Assert.InRange(decided, 3, 23); // the rules did decide something, so the comparison was not of nulls only
    }

    [Fact]
    public async Task Record_SendsTheSameCommands_At10And500FinishedTrials()
    {
        var perEpoch = new List<int[]>();
        foreach (var finished in new[] { 10, 500 })
        {
            var experimentId = await ScaleSeed.SeedAsync(_database.ConnectionString, finished, 10, seed: 3, ExperimentStatus.Running, $"count-{finished}");
            var trialId = (await ScaleSeed.AddRunningTrialsAsync(_database.ConnectionString, experimentId, 1, 10))[0];
            ExperimentSpec spec;
            await using (var db = Open())
                spec = ExperimentStore.TryParseSpec(await db.Experiments.SingleAsync(e => e.Id == experimentId))!;
            var counts = new int[10];
            for (var epoch = 1; epoch <= 10; epoch++)
            {
                var log = new CommandLog();
                await using var db = Open(log);
                // A weak curve that is pruned at some rung would end the run: keep it at the top so every epoch is written.
                var verdict = await TrialEpochs.RecordAsync(db, spec, experimentId, trialId, finished, 1, true, epoch,
                    new Dictionary<string, double> { ["valAccuracy"] = 0.99 }, null, 0.99, epoch, CancellationToken.None);
                Assert.True(verdict.GoesOn);
                counts[epoch - 1] = log.Commands.Count;
                Assert.DoesNotContain(log.Commands, c => c.Sql.Contains("FROM trial_epochs AS", StringComparison.Ordinal));
            }
            perEpoch.Add(counts);
        }
        Assert.Equal(perEpoch[0], perEpoch[1]);
        Assert.All(perEpoch[0], c => Assert.Equal(3, c)); // store, progress, the rule's figures
    }

    private static ExperimentSpec Spec(string stopping, string metric, bool maximize, int epochs) =>
        ExperimentStore.TryParseSpec(new Experiment
        {
            Name = "x", Strategy = "random", Trainer = "builtin", Dataset = "d", Pool = "cpu", ObjectiveMetric = metric,
            SpecJson = SpecJson(stopping, metric, maximize, epochs),
        })!;

    private static string SpecJson(string stopping, string metric, bool maximize, int epochs) => $$"""
        { "name": "x", "trainer": "builtin", "dataset": "d", "params": { "epochs": {{epochs}} },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
          "objective": { "metric": "{{metric}}", "direction": "{{(maximize ? "maximize" : "minimize")}}" },
          "strategy": { "kind": "random", "seed": 1 }, "budget": { "maxTrials": 24, "parallelism": 4 },
          "earlyStopping": {{stopping}} }
        """;

    private async Task<Guid> AddExperimentAsync(ExperimentSpec spec, string metric, bool maximize)
    {
        await using var db = Open();
        var now = DateTimeOffset.UtcNow;
        var e = new Experiment
        {
            Id = Guid.CreateVersion7(), Name = "x", SpecJson = SpecJson("{}", metric, maximize, 9), Strategy = "random", Trainer = "builtin",
            Dataset = "d", Pool = "cpu", ObjectiveMetric = metric, Maximize = maximize, MaxTrials = 24, Parallelism = 4,
            MaxEpochs = spec.Budget.MaxEpochs, CreatedAt = now, UpdatedAt = now,
        }.At(ExperimentStatus.Running);
        db.Experiments.Add(e);
        await db.SaveChangesAsync();
        return e.Id;
    }
}
