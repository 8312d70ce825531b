using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrderStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_trial_scores_epoch_running_sum",
                table: "trial_scores");

            migrationBuilder.DropIndex(
                name: "ix_trial_scores_epoch_score",
                table: "trial_scores");

            migrationBuilder.CreateTable(
                name: "epoch_orders",
                columns: table => new
                {
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_key = table.Column<string>(type: "text", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false),
                    score_value = table.Column<double>(type: "double precision", nullable: true),
                    score_trial = table.Column<Guid>(type: "uuid", nullable: true),
                    score_below = table.Column<int>(type: "integer", nullable: false),
                    sum_value = table.Column<double>(type: "double precision", nullable: true),
                    sum_trial = table.Column<Guid>(type: "uuid", nullable: true),
                    sum_below = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epoch_orders", x => new { x.experiment_id, x.stage_key, x.epoch });
                });

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_running_sum",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "running_sum", "trial_id" });

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_score",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "score", "trial_id" });

            // One row per (experiment, stage, epoch) group of trial_scores: the group's count and, in each of the two orders the
            // stopping rules read (score, running_sum; ties broken by trial_id so every key is distinct), a pivot key and its exact
            // rank. Statement triggers keep them, the running-sum pivot at the lower middle; ASHA's asker moves the score pivot to
            // the rank it needs (decision 0023). Hand-written: EF generates neither functions nor triggers.
            migrationBuilder.Sql("""
                -- The key `skip` places after (or before) (v, t) in the group's order of column `col`, leaving out trial `exclude`'s row: an index
                -- range of skip + 1 entries on ix_trial_scores_epoch_score / _running_sum (trial_id is their last column).
                CREATE FUNCTION hps_order_step(p_experiment uuid, p_stage text, p_epoch integer, col text, v double precision, t uuid,
                    after boolean, skip integer, exclude uuid, OUT value double precision, OUT trial uuid)
                LANGUAGE plpgsql STABLE AS $$
                BEGIN
                    EXECUTE format('SELECT %1$I, trial_id FROM trial_scores WHERE experiment_id = $1 AND stage_key = $2 AND epoch = $3 '
                        || 'AND (%1$I, trial_id) %2$s ($4, $5) AND trial_id IS DISTINCT FROM $7 ORDER BY %1$I %3$s, trial_id %3$s OFFSET $6 LIMIT 1',
                        col, CASE WHEN after THEN '>' ELSE '<' END, CASE WHEN after THEN 'ASC' ELSE 'DESC' END)
                    INTO value, trial USING p_experiment, p_stage, p_epoch, v, t, skip, exclude;
                END $$;

                -- The key at rank `r` (0-based, ascending) of the group's order of `col`, found from scratch (a rebuild's walk).
                CREATE FUNCTION hps_order_at(p_experiment uuid, p_stage text, p_epoch integer, col text, r integer,
                    OUT value double precision, OUT trial uuid)
                LANGUAGE plpgsql STABLE AS $$
                BEGIN
                    EXECUTE format('SELECT %1$I, trial_id FROM trial_scores WHERE experiment_id = $1 AND stage_key = $2 AND epoch = $3 '
                        || 'ORDER BY %1$I, trial_id OFFSET $4 LIMIT 1', col)
                    INTO value, trial USING p_experiment, p_stage, p_epoch, r;
                END $$;

                -- Recounts one group from its score rows (a bulk change, a backfill): n, and both pivots at the lower middle.
                CREATE FUNCTION hps_order_rebuild(p_experiment uuid, p_stage text, p_epoch integer) RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE
                    cnt integer;
                    mid integer;
                    s record;
                    m record;
                BEGIN
                    SELECT count(*) INTO cnt FROM trial_scores WHERE experiment_id = p_experiment AND stage_key = p_stage AND epoch = p_epoch;
                    mid := greatest(cnt - 1, 0) / 2;
                    s := hps_order_at(p_experiment, p_stage, p_epoch, 'score', mid);
                    m := hps_order_at(p_experiment, p_stage, p_epoch, 'running_sum', mid);
                    INSERT INTO epoch_orders AS o VALUES (p_experiment, p_stage, p_epoch, cnt, s.value, s.trial, CASE WHEN cnt = 0 THEN 0 ELSE mid END,
                        m.value, m.trial, CASE WHEN cnt = 0 THEN 0 ELSE mid END)
                    ON CONFLICT (experiment_id, stage_key, epoch) DO UPDATE SET n = excluded.n, score_value = excluded.score_value,
                        score_trial = excluded.score_trial, score_below = excluded.score_below, sum_value = excluded.sum_value,
                        sum_trial = excluded.sum_trial, sum_below = excluded.sum_below;
                END $$;

                -- Keeps epoch_orders exact after every statement that changes trial_scores (insert, upsert, delete, the cascade of a re-run's
                -- delete of its epochs, COPY). Groups are locked in key order, so two statements never wait on each other in a cycle; every read
                -- of trial_scores after the lock sees what the previous holder committed (READ COMMITTED takes a snapshot per statement). One
                -- row gone and/or one come in a group (an insert, a delete, an in-place upsert) moves the counts in O(1), with one neighbour
                -- lookup when the pivot itself goes; more rebuild the group (a bulk load).
                CREATE FUNCTION hps_orders_follow() RETURNS trigger
                LANGUAGE plpgsql AS $$
                DECLARE
                    src text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT *, true AS came FROM new_rows'
                                           WHEN 'DELETE' THEN 'SELECT *, false AS came FROM old_rows'
                                           ELSE 'SELECT *, false AS came FROM old_rows UNION ALL SELECT *, true FROM new_rows' END;
                    g record;
                    o epoch_orders;
                    q record;
                    created boolean;
                    k integer;
                    col text;
                    pv double precision;
                    pt uuid;
                    pb integer;
                    xv double precision;
                    target integer;
                BEGIN
                    FOR g IN EXECUTE 'SELECT experiment_id, stage_key, epoch, count(*) FILTER (WHERE NOT came) AS gone, count(*) FILTER (WHERE came) AS come, '
                        || 'min(trial_id::text) FILTER (WHERE NOT came)::uuid AS gone_trial, min(score) FILTER (WHERE NOT came) AS gone_score, '
                        || 'min(running_sum) FILTER (WHERE NOT came) AS gone_sum, min(trial_id::text) FILTER (WHERE came)::uuid AS came_trial, '
                        || 'min(score) FILTER (WHERE came) AS came_score, min(running_sum) FILTER (WHERE came) AS came_sum '
                        || 'FROM (' || src || ') c GROUP BY experiment_id, stage_key, epoch ORDER BY experiment_id, stage_key, epoch'
                    LOOP
                        created := false;
                        INSERT INTO epoch_orders VALUES (g.experiment_id, g.stage_key, g.epoch, 0, NULL, NULL, 0, NULL, NULL, 0)
                            ON CONFLICT DO NOTHING RETURNING true INTO created;
                        SELECT * INTO o FROM epoch_orders
                            WHERE experiment_id = g.experiment_id AND stage_key = g.stage_key AND epoch = g.epoch FOR UPDATE;
                        IF g.gone > 1 OR g.come > 1 OR (g.gone = 1 AND g.come = 1 AND g.gone_trial <> g.came_trial)
                           OR (coalesce(created, false) AND g.gone > 0) THEN
                            PERFORM hps_order_rebuild(g.experiment_id, g.stage_key, g.epoch);
                            CONTINUE;
                        END IF;
                        FOR k IN 1..2 LOOP
                            IF k = 1 THEN col := 'score'; pv := o.score_value; pt := o.score_trial; pb := o.score_below;
                            ELSE col := 'running_sum'; pv := o.sum_value; pt := o.sum_trial; pb := o.sum_below; END IF;
                            -- A row gone: below the pivot it lowers the rank; the pivot itself moves to its successor (same rank) or, with none,
                            -- its predecessor. The lookup leaves out the trial's row, which an in-place update has already rewritten.
                            IF g.gone = 1 AND pt IS NOT NULL THEN
                                xv := CASE WHEN k = 1 THEN g.gone_score ELSE g.gone_sum END;
                                IF (xv, g.gone_trial) < (pv, pt) THEN
                                    pb := pb - 1;
                                ELSIF (xv, g.gone_trial) = (pv, pt) THEN
                                    q := hps_order_step(g.experiment_id, g.stage_key, g.epoch, col, pv, pt, true, 0, g.gone_trial);
                                    IF q.trial IS NULL THEN
                                        q := hps_order_step(g.experiment_id, g.stage_key, g.epoch, col, pv, pt, false, 0, g.gone_trial);
                                        pb := CASE WHEN q.trial IS NULL THEN 0 ELSE pb - 1 END;
                                    END IF;
                                    pv := q.value; pt := q.trial;
                                END IF;
                            END IF;
                            -- A row come: below the pivot it raises the rank; into an empty group it is the pivot.
                            IF g.come = 1 THEN
                                xv := CASE WHEN k = 1 THEN g.came_score ELSE g.came_sum END;
                                IF pt IS NULL THEN
                                    pv := xv; pt := g.came_trial; pb := 0;
                                ELSIF (xv, g.came_trial) < (pv, pt) THEN
                                    pb := pb + 1;
                                END IF;
                            END IF;
                            -- The running-sum pivot stays at the lower middle (n - 1) / 2, which the median rule reads without a lock:
                            -- after one row gone or come it is at most one key away.
                        IF k = 2 THEN
                            target := greatest(o.n + g.come - g.gone - 1, 0) / 2;
                            IF pt IS NOT NULL AND pb <> target THEN
                                q := hps_order_step(g.experiment_id, g.stage_key, g.epoch, col, pv, pt, target > pb, abs(target - pb) - 1, NULL);
                                pv := q.value; pt := q.trial; pb := target;
                            END IF;
                        END IF;
                        IF k = 1 THEN o.score_value := pv; o.score_trial := pt; o.score_below := pb;
                            ELSE o.sum_value := pv; o.sum_trial := pt; o.sum_below := pb; END IF;
                        END LOOP;
                        UPDATE epoch_orders SET n = o.n + g.come - g.gone, score_value = o.score_value, score_trial = o.score_trial,
                            score_below = o.score_below, sum_value = o.sum_value, sum_trial = o.sum_trial, sum_below = o.sum_below
                        WHERE experiment_id = g.experiment_id AND stage_key = g.stage_key AND epoch = g.epoch;
                    END LOOP;
                    RETURN NULL;
                END $$;

                -- ASHA's question: the group's count and its k-th best score (rank n - max(1, n / eta) ascending). The score pivot is
                -- moved there from where the previous asker left it (a walk as long as the target moved since), and stored.
                CREATE FUNCTION hps_epoch_order(p_experiment uuid, p_stage text, p_epoch integer, eta integer,
                    OUT n integer, OUT ranks integer[], OUT vals double precision[], OUT trials uuid[])
                LANGUAGE plpgsql AS $$
                DECLARE
                    o epoch_orders;
                    target integer;
                    q record;
                BEGIN
                    ranks := '{}'; vals := '{}'; trials := '{}';
                    SELECT * INTO o FROM epoch_orders WHERE experiment_id = p_experiment AND stage_key = p_stage AND epoch = p_epoch FOR UPDATE;
                    n := coalesce(o.n, 0);
                    IF n = 0 THEN RETURN; END IF;
                    target := n - greatest(1, n / greatest(eta, 1));
                    IF target <> o.score_below THEN
                        q := hps_order_step(p_experiment, p_stage, p_epoch, 'score', o.score_value, o.score_trial, target > o.score_below,
                            abs(target - o.score_below) - 1, NULL);
                        o.score_value := q.value; o.score_trial := q.trial; o.score_below := target;
                        UPDATE epoch_orders SET score_value = o.score_value, score_trial = o.score_trial, score_below = o.score_below
                        WHERE experiment_id = p_experiment AND stage_key = p_stage AND epoch = p_epoch;
                    END IF;
                    ranks := ARRAY[o.score_below]; vals := ARRAY[o.score_value]; trials := ARRAY[o.score_trial];
                END $$;

                -- The median rule's question: the group's count and the running-sum keys at ranks (n - 1) / 2 - 1, (n - 1) / 2 and
                -- (n - 1) / 2 + 1, next to the pivot the triggers keep at the lower middle. A read (STABLE: one snapshot for the
                -- row and its neighbours), no lock and nothing written.
                CREATE FUNCTION hps_epoch_middle(p_experiment uuid, p_stage text, p_epoch integer,
                    OUT n integer, OUT ranks integer[], OUT vals double precision[], OUT trials uuid[])
                LANGUAGE plpgsql STABLE AS $$
                DECLARE
                    o epoch_orders;
                    q record;
                BEGIN
                    ranks := '{}'; vals := '{}'; trials := '{}';
                    SELECT * INTO o FROM epoch_orders WHERE experiment_id = p_experiment AND stage_key = p_stage AND epoch = p_epoch;
                    n := coalesce(o.n, 0);
                    IF n = 0 THEN RETURN; END IF;
                    ranks := ARRAY[o.sum_below]; vals := ARRAY[o.sum_value]; trials := ARRAY[o.sum_trial];
                    q := hps_order_step(p_experiment, p_stage, p_epoch, 'running_sum', o.sum_value, o.sum_trial, false, 0, NULL);
                    IF q.trial IS NOT NULL THEN ranks := o.sum_below - 1 || ranks; vals := q.value || vals; trials := q.trial || trials; END IF;
                    q := hps_order_step(p_experiment, p_stage, p_epoch, 'running_sum', o.sum_value, o.sum_trial, true, 0, NULL);
                    IF q.trial IS NOT NULL THEN ranks := ranks || o.sum_below + 1; vals := vals || q.value; trials := trials || q.trial; END IF;
                END $$;
                """);

            // The triggers first: from here the table is locked against writes until the migration commits, so the backfill below
            // counts exactly what the triggers then keep up to date (scores stored before this migration).
            migrationBuilder.Sql("""
                CREATE TRIGGER trial_scores_orders_insert AFTER INSERT ON trial_scores REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hps_orders_follow();
                CREATE TRIGGER trial_scores_orders_update AFTER UPDATE ON trial_scores REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hps_orders_follow();
                CREATE TRIGGER trial_scores_orders_delete AFTER DELETE ON trial_scores REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hps_orders_follow();
                """);
            migrationBuilder.Sql("""
                SELECT hps_order_rebuild(g.experiment_id, g.stage_key, g.epoch)
                FROM (SELECT DISTINCT experiment_id, stage_key, epoch FROM trial_scores ORDER BY 1, 2, 3) g;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trial_scores_orders_insert ON trial_scores;
                DROP TRIGGER trial_scores_orders_update ON trial_scores;
                DROP TRIGGER trial_scores_orders_delete ON trial_scores;
                DROP FUNCTION hps_orders_follow();
                DROP FUNCTION hps_epoch_order(uuid, text, integer, integer);
                DROP FUNCTION hps_epoch_middle(uuid, text, integer);
                DROP FUNCTION hps_order_rebuild(uuid, text, integer);
                DROP FUNCTION hps_order_at(uuid, text, integer, text, integer);
                DROP FUNCTION hps_order_step(uuid, text, integer, text, double precision, uuid, boolean, integer, uuid);
                """);

            migrationBuilder.DropTable(
                name: "epoch_orders");

            migrationBuilder.DropIndex(
                name: "ix_trial_scores_epoch_running_sum",
                table: "trial_scores");

            migrationBuilder.DropIndex(
                name: "ix_trial_scores_epoch_score",
                table: "trial_scores");

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_running_sum",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "running_sum" });

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_score",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "score" });
        }
    }
}
