using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HpSearch.Persistence.Migrations;

/// <summary>Cron schedules, and on experiments the warm-start parameter sets and the night-over-night regression flag.</summary>
[DbContext(typeof(HpSearchDb))]
[Migration("20261122000002_Schedules")]
public sealed class M0002_Schedules : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            CREATE TABLE schedules (
                id uuid PRIMARY KEY,
                name text NOT NULL,
                cron text NOT NULL,
                quartz_cron text NOT NULL,
                time_zone text NOT NULL,
                template_json jsonb NOT NULL,
                enabled boolean NOT NULL,
                misfire_policy text NOT NULL,
                overlap_policy text NOT NULL,
                warm_start_top_k integer NOT NULL DEFAULT 0,
                regression_margin double precision NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                last_fired_at timestamptz NULL,
                last_fire_outcome text NULL
            );
            CREATE INDEX ix_schedules_created_at ON schedules (created_at DESC);

            ALTER TABLE experiments ADD COLUMN warm_start_json jsonb NULL;
            ALTER TABLE experiments ADD COLUMN regression boolean NULL;
            ALTER TABLE experiments ADD COLUMN previous_best_value double precision NULL;
            CREATE INDEX ix_experiments_schedule_created_at ON experiments (schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL;
            """);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.Sql("""
            DROP INDEX ix_experiments_schedule_created_at;
            ALTER TABLE experiments DROP COLUMN previous_best_value;
            ALTER TABLE experiments DROP COLUMN regression;
            ALTER TABLE experiments DROP COLUMN warm_start_json;
            DROP TABLE schedules;
            """);
    }
}
