using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HpSearch.Persistence.Migrations;

/// <summary>Experiments, trials, per-epoch metrics (one row per trial and epoch), checkpoints, worker heartbeats.
/// Written by hand: the EF Core design-time package cannot be restored here.</summary>
[DbContext(typeof(HpSearchDb))]
[Migration("20261122000001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            CREATE TABLE experiments (
                id uuid PRIMARY KEY,
                name text NOT NULL,
                status text NOT NULL,
                spec_json jsonb NOT NULL,
                strategy text NOT NULL,
                trainer text NOT NULL,
                dataset text NOT NULL,
                pool text NOT NULL,
                objective_metric text NOT NULL,
                maximize boolean NOT NULL,
                max_trials integer NOT NULL,
                parallelism integer NOT NULL,
                max_epochs integer NOT NULL,
                created_at timestamptz NOT NULL,
                started_at timestamptz NULL,
                finished_at timestamptz NULL,
                updated_at timestamptz NOT NULL,
                current_stage text NULL,
                stages_json jsonb NULL,
                best_trial_id uuid NULL,
                best_value double precision NULL,
                failure_reason text NULL,
                idempotency_key text NULL,
                schedule_id uuid NULL,
                cancel_requested boolean NOT NULL DEFAULT false,
                sampling_done boolean NOT NULL DEFAULT false
            );
            CREATE UNIQUE INDEX ix_experiments_idempotency_key ON experiments (idempotency_key) WHERE idempotency_key IS NOT NULL;
            CREATE INDEX ix_experiments_created_at ON experiments (created_at DESC);
            CREATE INDEX ix_experiments_status_created_at ON experiments (status, created_at DESC);
            CREATE INDEX ix_experiments_schedule_id ON experiments (schedule_id) WHERE schedule_id IS NOT NULL;

            CREATE TABLE trials (
                id uuid PRIMARY KEY,
                experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
                number integer NOT NULL,
                status text NOT NULL,
                params_json jsonb NOT NULL,
                stage text NULL,
                options_json jsonb NULL,
                max_epochs integer NOT NULL,
                seed integer NOT NULL,
                attempt integer NOT NULL DEFAULT 0,
                worker text NULL,
                created_at timestamptz NOT NULL,
                started_at timestamptz NULL,
                finished_at timestamptz NULL,
                updated_at timestamptz NOT NULL,
                epoch_count integer NOT NULL DEFAULT 0,
                best_value double precision NULL,
                best_epoch integer NULL,
                stop_reason_json jsonb NULL,
                error text NULL,
                summary_json jsonb NULL,
                test_accuracy double precision NULL,
                test_loss double precision NULL
            );
            CREATE UNIQUE INDEX ix_trials_experiment_number ON trials (experiment_id, number);
            CREATE INDEX ix_trials_experiment_status ON trials (experiment_id, status);
            CREATE INDEX ix_trials_experiment_updated_at ON trials (experiment_id, updated_at);

            CREATE TABLE trial_epochs (
                trial_id uuid NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
                epoch integer NOT NULL,
                attempt integer NOT NULL,
                train_loss double precision NULL,
                train_accuracy double precision NULL,
                val_loss double precision NULL,
                val_accuracy double precision NULL,
                lr double precision NULL,
                seconds double precision NULL,
                grad_norm double precision NULL,
                extra_json jsonb NULL,
                layers_json jsonb NULL,
                recorded_at timestamptz NOT NULL,
                PRIMARY KEY (trial_id, epoch)
            );

            CREATE TABLE checkpoints (
                trial_id uuid PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
                epoch integer NOT NULL,
                data bytea NOT NULL,
                created_at timestamptz NOT NULL
            );

            CREATE TABLE workers (
                node text PRIMARY KEY,
                pools_json jsonb NOT NULL,
                slots_json jsonb NOT NULL,
                started_at timestamptz NOT NULL,
                last_heartbeat timestamptz NOT NULL
            );
            """);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.Sql("DROP TABLE workers; DROP TABLE checkpoints; DROP TABLE trial_epochs; DROP TABLE trials; DROP TABLE experiments;");
    }
}
