using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Npgsql;

namespace HpSearch.Api.Tests.Live;

/// <summary>A running experiment with one running trial, and a writer that stores its next epoch the way a trial run
/// does (the epoch row, then the trial's progress), its SQL marked so <see cref="CommandCounter"/> leaves it out.</summary>
public static class LiveSeed
{
    public static async Task<(Guid Experiment, Guid Trial)> RunningTrialAsync(HpSearchDb db)
    {
        var now = DateTimeOffset.UtcNow;
        var experiment = new Experiment
        {
            Id = Guid.NewGuid(), Name = "live", SpecJson = """{"name":"live"}""", Strategy = "random", Trainer = "builtin",
            Dataset = "synthetic-blobs", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = 10, Parallelism = 1,
            MaxEpochs = 1000, CreatedAt = now, StartedAt = now, UpdatedAt = now,
        }.At(ExperimentStatus.Running);
        var trial = new Trial
        {
            Id = Guid.NewGuid(), ExperimentId = experiment.Id, Number = 0, ParamsJson = """{"lr":0.01}""", MaxEpochs = 1000, Seed = 1,
            Attempt = 1, CreatedAt = now, StartedAt = now, UpdatedAt = now,
        }.At(TrialStatus.Running);
        db.Experiments.Add(experiment);
        db.Trials.Add(trial);
        await db.SaveChangesAsync();
        return (experiment.Id, trial.Id);
    }

    public static async Task WriteEpochAsync(NpgsqlConnection connection, Guid trial, int epoch)
    {
        await using var cmd = new NpgsqlCommand($"""
            -- {CommandCounter.Marker}
            INSERT INTO trial_epochs (trial_id, epoch, attempt, val_accuracy, train_loss, recorded_at) VALUES (@t, @e, 1, @v, 1.0 / @e, now());
            UPDATE trials SET epoch_count = @e, best_value = @v, best_epoch = @e, updated_at = now() WHERE id = @t;
            """, connection);
        cmd.Parameters.AddWithValue("t", trial);
        cmd.Parameters.AddWithValue("e", epoch);
        cmd.Parameters.AddWithValue("v", epoch / 10000.0);
        await cmd.ExecuteNonQueryAsync();
    }
}
