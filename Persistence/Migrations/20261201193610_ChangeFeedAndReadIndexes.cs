using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <summary>
    /// The database change feed (decision 0019): statement-level triggers on experiments, trials and trial_epochs send
    /// <c>pg_notify('hpsearch_changes', json)</c> at commit, which one listener per API node fans out to every live stream.
    /// A statement touching more than <c>64</c> rows of one experiment (a bulk cancel, a seeder's COPY) sends one
    /// <c>resync</c> for that experiment instead of a message per row. Also the indexes that serve a trials page sorted by
    /// value (best first in either direction, ties by number) and the top-k curves without sorting the experiment.
    /// </summary>
    public partial class ChangeFeedAndReadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_trials_experiment_value_asc ON trials (experiment_id, best_value ASC NULLS LAST, number);
                CREATE INDEX ix_trials_experiment_value_desc ON trials (experiment_id, best_value DESC NULLS LAST, number);

                CREATE FUNCTION hpsearch_notify_experiments() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('hpsearch_changes', json_build_object('k', 'e', 'e', n.id)::text) FROM new_rows n;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER experiments_notify_insert AFTER INSERT ON experiments REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_experiments();
                CREATE TRIGGER experiments_notify_update AFTER UPDATE ON experiments REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_experiments();

                -- 'c': the trial's status changed (a new trial counts as changed), so the experiment's counts did too.
                CREATE FUNCTION hpsearch_notify_trials_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT experiment_id, count(*) AS rows FROM new_rows GROUP BY experiment_id LOOP
                        IF r.rows > 64 THEN
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 'r', 'e', r.experiment_id)::text);
                        ELSE
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 't', 'e', n.experiment_id, 't', n.id, 'c', true)::text)
                            FROM new_rows n WHERE n.experiment_id = r.experiment_id;
                        END IF;
                    END LOOP;
                    RETURN NULL;
                END $$;
                CREATE FUNCTION hpsearch_notify_trials_updated() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT experiment_id, count(*) AS rows FROM new_rows GROUP BY experiment_id LOOP
                        IF r.rows > 64 THEN
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 'r', 'e', r.experiment_id)::text);
                        ELSE
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 't', 'e', n.experiment_id, 't', n.id,
                                'c', o.status IS DISTINCT FROM n.status)::text)
                            FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id WHERE n.experiment_id = r.experiment_id;
                        END IF;
                    END LOOP;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER trials_notify_insert AFTER INSERT ON trials REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_trials_inserted();
                CREATE TRIGGER trials_notify_update AFTER UPDATE ON trials REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_trials_updated();

                CREATE FUNCTION hpsearch_notify_epochs() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT t.experiment_id, count(*) AS rows FROM new_rows e JOIN trials t ON t.id = e.trial_id GROUP BY t.experiment_id LOOP
                        IF r.rows > 64 THEN
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 'r', 'e', r.experiment_id)::text);
                        ELSE
                            PERFORM pg_notify('hpsearch_changes', json_build_object('k', 'p', 'e', t.experiment_id, 't', e.trial_id, 'p', e.epoch)::text)
                            FROM new_rows e JOIN trials t ON t.id = e.trial_id WHERE t.experiment_id = r.experiment_id;
                        END IF;
                    END LOOP;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER trial_epochs_notify_insert AFTER INSERT ON trial_epochs REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_epochs();
                CREATE TRIGGER trial_epochs_notify_update AFTER UPDATE ON trial_epochs REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hpsearch_notify_epochs();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trial_epochs_notify_update ON trial_epochs;
                DROP TRIGGER trial_epochs_notify_insert ON trial_epochs;
                DROP TRIGGER trials_notify_update ON trials;
                DROP TRIGGER trials_notify_insert ON trials;
                DROP TRIGGER experiments_notify_update ON experiments;
                DROP TRIGGER experiments_notify_insert ON experiments;
                DROP FUNCTION hpsearch_notify_epochs();
                DROP FUNCTION hpsearch_notify_trials_updated();
                DROP FUNCTION hpsearch_notify_trials_inserted();
                DROP FUNCTION hpsearch_notify_experiments();
                DROP INDEX ix_trials_experiment_value_desc;
                DROP INDEX ix_trials_experiment_value_asc;
                """);
        }
    }
}
