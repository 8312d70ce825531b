using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <summary>
    /// One row of counters per experiment (decision 0024), kept exact by statement-level triggers on <c>trials</c> with
    /// transition tables: each INSERT, UPDATE or DELETE adds what its rows count for, grouped by experiment, with
    /// <c>n = n + delta</c> (a row lock: concurrent writers queue, none is lost), and skips an update that changes no figure.
    /// What one trial counts for is defined once, in <c>hpsearch_trial_tally</c>, which the backfill below and the repair
    /// function <c>hpsearch_recount_counters</c> use too. Also drops <c>ix_trials_experiment_best_value</c>, which
    /// <c>ix_trials_experiment_value_asc</c> covers, and names <c>ix_trials_experiment_number</c> (M0001's) in the model.
    /// </summary>
    public partial class ExperimentCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trials_experiment_best_value",
                table: "trials");

            migrationBuilder.CreateTable(
                name: "experiment_counters",
                columns: table => new
                {
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    queued = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    running = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    completed = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    pruned = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    diverged = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    failed = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    cancelled = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    epochs_trained = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    epochs_saved = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    finished_at_sum = table.Column<decimal>(type: "numeric", nullable: false, defaultValue: 0m)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiment_counters", x => x.experiment_id);
                    table.ForeignKey(
                        name: "FK_experiment_counters_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // ix_trials_experiment_number exists since M0001; the model names it now (no CreateIndex).

            migrationBuilder.Sql(CountersSql);
        }

        private const string CountersSql = """
            -- What one trial row counts for (times sign: +1 as it is, -1 as it was): its status, its epochs trained, the epochs
            -- it saved (pruned, or completed by patience, with a stop reason: max_epochs - epoch_count), and its finish time in
            -- microseconds when completed or pruned (the trials parameter importance reads).
            CREATE FUNCTION hpsearch_trial_tally(t trials, sign integer) RETURNS experiment_counters LANGUAGE sql IMMUTABLE AS $$
                SELECT ROW(t.experiment_id,
                    sign * (t.status = 'queued')::int, sign * (t.status = 'running')::int, sign * (t.status = 'completed')::int,
                    sign * (t.status = 'pruned')::int, sign * (t.status = 'diverged')::int, sign * (t.status = 'failed')::int,
                    sign * (t.status = 'cancelled')::int,
                    sign * t.epoch_count,
                    sign * CASE WHEN t.stop_reason_json IS NOT NULL AND t.status IN ('pruned', 'completed') AND t.max_epochs > t.epoch_count
                                THEN t.max_epochs - t.epoch_count ELSE 0 END,
                    sign * CASE WHEN t.status IN ('completed', 'pruned') THEN coalesce(extract(epoch FROM t.finished_at) * 1000000, 0) ELSE 0 END
                )::experiment_counters
            $$;

            CREATE FUNCTION hpsearch_counters_add(a experiment_counters, b experiment_counters) RETURNS experiment_counters
                LANGUAGE sql IMMUTABLE STRICT AS $$
                SELECT ROW(a.experiment_id, a.queued + b.queued, a.running + b.running, a.completed + b.completed, a.pruned + b.pruned,
                    a.diverged + b.diverged, a.failed + b.failed, a.cancelled + b.cancelled, a.epochs_trained + b.epochs_trained,
                    a.epochs_saved + b.epochs_saved, a.finished_at_sum + b.finished_at_sum)::experiment_counters
            $$;
            CREATE AGGREGATE hpsearch_counters_sum(experiment_counters) (SFUNC = hpsearch_counters_add, STYPE = experiment_counters);

            -- Adds one experiment's delta to its row (which must exist): the row lock serialises concurrent writers.
            CREATE FUNCTION hpsearch_counters_apply(d experiment_counters) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE experiment_counters c SET queued = c.queued + d.queued, running = c.running + d.running,
                    completed = c.completed + d.completed, pruned = c.pruned + d.pruned, diverged = c.diverged + d.diverged,
                    failed = c.failed + d.failed, cancelled = c.cancelled + d.cancelled, epochs_trained = c.epochs_trained + d.epochs_trained,
                    epochs_saved = c.epochs_saved + d.epochs_saved, finished_at_sum = c.finished_at_sum + d.finished_at_sum
                WHERE c.experiment_id = d.experiment_id;
            END $$;

            -- Experiments in id order, so two statements touching the same experiments lock their rows in the same order.
            CREATE FUNCTION hpsearch_count_trials_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE d experiment_counters;
            BEGIN
                FOR d IN SELECT (x.s).* FROM (SELECT hpsearch_counters_sum(hpsearch_trial_tally(n, 1)) AS s FROM new_rows n
                                              GROUP BY n.experiment_id) x ORDER BY (x.s).experiment_id LOOP
                    INSERT INTO experiment_counters (experiment_id) VALUES (d.experiment_id) ON CONFLICT (experiment_id) DO NOTHING;
                    PERFORM hpsearch_counters_apply(d);
                END LOOP;
                RETURN NULL;
            END $$;
            -- An update that changes no figure (a heartbeat, a job id, a summary) takes no lock on the row.
            CREATE FUNCTION hpsearch_count_trials_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE d experiment_counters;
            BEGIN
                FOR d IN SELECT (x.s).* FROM (
                        SELECT hpsearch_counters_sum(r.c) AS s FROM (
                            SELECT hpsearch_trial_tally(n, 1) AS c FROM new_rows n
                            UNION ALL SELECT hpsearch_trial_tally(o, -1) FROM old_rows o) r
                        GROUP BY (r.c).experiment_id) x ORDER BY (x.s).experiment_id LOOP
                    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM jsonb_each_text(to_jsonb(d) - 'experiment_id') f WHERE f.value::numeric <> 0);
                    PERFORM hpsearch_counters_apply(d);
                END LOOP;
                RETURN NULL;
            END $$;
            -- An experiment's delete cascades to its counters too: then there is no row left to update.
            CREATE FUNCTION hpsearch_count_trials_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE d experiment_counters;
            BEGIN
                FOR d IN SELECT (x.s).* FROM (SELECT hpsearch_counters_sum(hpsearch_trial_tally(o, -1)) AS s FROM old_rows o
                                              GROUP BY o.experiment_id) x ORDER BY (x.s).experiment_id LOOP
                    PERFORM hpsearch_counters_apply(d);
                END LOOP;
                RETURN NULL;
            END $$;
            CREATE FUNCTION hpsearch_count_trials_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM experiment_counters;
                RETURN NULL;
            END $$;
            CREATE TRIGGER trials_count_insert AFTER INSERT ON trials REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_count_trials_inserted();
            CREATE TRIGGER trials_count_update AFTER UPDATE ON trials REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_count_trials_updated();
            CREATE TRIGGER trials_count_delete AFTER DELETE ON trials REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_count_trials_deleted();
            CREATE TRIGGER trials_count_truncate AFTER TRUNCATE ON trials
                FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_count_trials_truncated();

            -- Recounts one experiment from its trials (after a bulk load with triggers off, or to repair). The row is locked
            -- first, and the recount reads in a later statement (a newer snapshot): a writer that counted before the lock has
            -- committed and is in the recount; one that counts after it adds its delta to the recounted row.
            CREATE FUNCTION hpsearch_recount_counters(experiment uuid) RETURNS void LANGUAGE plpgsql AS $$
            DECLARE d experiment_counters;
            BEGIN
                INSERT INTO experiment_counters (experiment_id) VALUES (experiment) ON CONFLICT (experiment_id) DO NOTHING;
                PERFORM 1 FROM experiment_counters WHERE experiment_id = experiment FOR UPDATE;
                SELECT (x.s).* INTO d FROM (SELECT hpsearch_counters_sum(hpsearch_trial_tally(t, 1)) AS s FROM trials t
                                            WHERE t.experiment_id = experiment) x;
                UPDATE experiment_counters SET queued = coalesce(d.queued, 0), running = coalesce(d.running, 0),
                    completed = coalesce(d.completed, 0), pruned = coalesce(d.pruned, 0), diverged = coalesce(d.diverged, 0),
                    failed = coalesce(d.failed, 0), cancelled = coalesce(d.cancelled, 0), epochs_trained = coalesce(d.epochs_trained, 0),
                    epochs_saved = coalesce(d.epochs_saved, 0), finished_at_sum = coalesce(d.finished_at_sum, 0)
                WHERE experiment_id = experiment;
            END $$;

            -- Experiments stored before this migration (the triggers' lock on trials keeps writers out until it commits).
            INSERT INTO experiment_counters
            SELECT (x.s).* FROM (SELECT hpsearch_counters_sum(hpsearch_trial_tally(t, 1)) AS s FROM trials t GROUP BY t.experiment_id) x;
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trials_count_truncate ON trials;
                DROP TRIGGER trials_count_delete ON trials;
                DROP TRIGGER trials_count_update ON trials;
                DROP TRIGGER trials_count_insert ON trials;
                DROP FUNCTION hpsearch_recount_counters(uuid);
                DROP FUNCTION hpsearch_count_trials_truncated();
                DROP FUNCTION hpsearch_count_trials_deleted();
                DROP FUNCTION hpsearch_count_trials_updated();
                DROP FUNCTION hpsearch_count_trials_inserted();
                DROP FUNCTION hpsearch_counters_apply(experiment_counters);
                DROP AGGREGATE hpsearch_counters_sum(experiment_counters);
                DROP FUNCTION hpsearch_counters_add(experiment_counters, experiment_counters);
                DROP FUNCTION hpsearch_trial_tally(trials, integer);
                """);

            migrationBuilder.DropTable(
                name: "experiment_counters");

            // ix_trials_experiment_number stays (M0001 made it).

            migrationBuilder.CreateIndex(
                name: "ix_trials_experiment_best_value",
                table: "trials",
                columns: new[] { "experiment_id", "best_value" });
        }
    }
}
