using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StoppingScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The model snapshot of Baseline listed EF's foreign-key index IX_trials_experiment_id, which the hand-written
            // migrations never created (ix_trials_experiment_number leads with the column): dropped only if a database has it.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_trials_experiment_id\";");

            migrationBuilder.CreateTable(
                name: "trial_scores",
                columns: table => new
                {
                    trial_id = table.Column<Guid>(type: "uuid", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    experiment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_key = table.Column<string>(type: "text", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    running_sum = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trial_scores", x => new { x.trial_id, x.epoch });
                    table.ForeignKey(
                        name: "FK_trial_scores_trial_epochs_trial_id_epoch",
                        columns: x => new { x.trial_id, x.epoch },
                        principalTable: "trial_epochs",
                        principalColumns: new[] { "trial_id", "epoch" },
                        onDelete: ReferentialAction.Cascade);
                });

            // Epochs stored before this migration get their scores, so a running experiment's rules keep comparing with them:
            // the experiment's objective read from its column (or extra_json), −∞ when absent or not finite, sign-flipped
            // when minimizing; the running sum adds them in epoch order (hand-written: EF does not generate data moves).
            migrationBuilder.Sql("""
                INSERT INTO trial_scores (trial_id, epoch, experiment_id, stage_key, score, running_sum)
                SELECT s.trial_id, s.epoch, s.experiment_id, s.stage_key, s.score,
                       sum(s.score) OVER (PARTITION BY s.trial_id ORDER BY s.epoch ROWS UNBOUNDED PRECEDING)
                FROM (
                    SELECT e.trial_id, e.epoch, t.experiment_id, coalesce(t.stage, '') AS stage_key,
                        CASE WHEN v.value IS NULL OR v.value IN ('NaN', 'Infinity', '-Infinity') THEN '-Infinity'::float8
                             WHEN x.maximize THEN v.value ELSE -v.value END AS score
                    FROM trial_epochs e
                    JOIN trials t ON t.id = e.trial_id
                    JOIN experiments x ON x.id = t.experiment_id
                    CROSS JOIN LATERAL (SELECT CASE x.objective_metric
                        WHEN 'trainLoss' THEN e.train_loss WHEN 'trainAccuracy' THEN e.train_accuracy
                        WHEN 'valLoss' THEN e.val_loss WHEN 'valAccuracy' THEN e.val_accuracy
                        WHEN 'lr' THEN e.lr WHEN 'seconds' THEN e.seconds WHEN 'gradNorm' THEN e.grad_norm
                        ELSE (e.extra_json ->> x.objective_metric)::float8 END AS value) v
                ) s;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_trials_experiment_best_value",
                table: "trials",
                columns: new[] { "experiment_id", "best_value" });

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_running_sum",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "running_sum" });

            migrationBuilder.CreateIndex(
                name: "ix_trial_scores_epoch_score",
                table: "trial_scores",
                columns: new[] { "experiment_id", "stage_key", "epoch", "score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "trial_scores");

            migrationBuilder.DropIndex(
                name: "ix_trials_experiment_best_value",
                table: "trials");
        }
    }
}
