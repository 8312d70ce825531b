using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence;

/// <summary>The service's tables (the schema comes from <c>Migrations/</c>). Statuses are the Domain's enums, stored as their wire names (<c>running</c>).</summary>
public sealed class HpSearchDb(DbContextOptions<HpSearchDb> options) : DbContext(options)
{
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<Trial> Trials => Set<Trial>();
    public DbSet<TrialEpoch> TrialEpochs => Set<TrialEpoch>();
    public DbSet<TrialScore> TrialScores => Set<TrialScore>();
    public DbSet<ExperimentCounters> ExperimentCounters => Set<ExperimentCounters>();
    public DbSet<EpochOrder> EpochOrders => Set<EpochOrder>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<WorkerNode> Workers => Set<WorkerNode>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Artifact> Artifacts => Set<Artifact>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Experiment>(e =>
        {
            e.ToTable("experiments");
            e.HasKey(x => x.Id);
            e.Property(x => x.SpecJson).HasColumnType("jsonb");
            e.Property(x => x.StagesJson).HasColumnType("jsonb");
            e.Property(x => x.WarmStartJson).HasColumnType("jsonb");
            e.Property(x => x.ObjectivesJson).HasColumnType("jsonb");
            e.Property(x => x.FrontJson).HasColumnType("jsonb");
            e.Property(x => x.Status).HasConversion(s => s.ToWire(), s => Lifecycle.ParseExperimentStatus(s));
            e.Property(x => x.Tags).HasDefaultValueSql("'{}'::text[]");
            e.HasIndex(x => x.Tags).HasMethod("gin").HasDatabaseName("ix_experiments_tags");
            e.HasMany(x => x.Trials).WithOne(t => t.Experiment).HasForeignKey(t => t.ExperimentId);
        });
        b.Entity<Trial>(e =>
        {
            e.ToTable("trials");
            e.HasKey(x => x.Id);
            e.Property(x => x.ParamsJson).HasColumnType("jsonb");
            e.Property(x => x.OptionsJson).HasColumnType("jsonb");
            e.Property(x => x.StopReasonJson).HasColumnType("jsonb");
            e.Property(x => x.SummaryJson).HasColumnType("jsonb");
            e.Property(x => x.Status).HasConversion(s => s.ToWire(), s => Lifecycle.ParseTrialStatus(s));
            // A trials page sorted by value reads ix_trials_experiment_value_asc/desc (migration ChangeFeedAndReadIndexes). This
            // one (created by M0001) is named here so EF sees the experiment foreign key covered and adds no index of its own.
            e.HasIndex(x => new { x.ExperimentId, x.Number }).IsUnique().HasDatabaseName("ix_trials_experiment_number");
        });
        b.Entity<ExperimentCounters>(e =>
        {
            // Kept by the triggers on trials (migration ExperimentCounters, decision 0024); the service never writes it.
            e.ToTable("experiment_counters");
            e.HasKey(x => x.ExperimentId);
            e.HasOne<Experiment>().WithOne().HasForeignKey<ExperimentCounters>(x => x.ExperimentId).OnDelete(DeleteBehavior.Cascade);
            foreach (var name in new[] { "Queued", "Running", "Completed", "Pruned", "Diverged", "Failed", "Cancelled", "EpochsTrained", "EpochsSaved" })
                e.Property<int>(name).HasDefaultValue(0);
            e.Property(x => x.FinishedAtSum).HasColumnType("numeric").HasDefaultValue(0m);
            e.Ignore(x => x.Trials);
        });
        b.Entity<TrialEpoch>(e =>
        {
            e.ToTable("trial_epochs");
            e.HasKey(x => new { x.TrialId, x.Epoch });
            e.Property(x => x.ExtraJson).HasColumnType("jsonb");
            e.Property(x => x.LayersJson).HasColumnType("jsonb");
        });
        b.Entity<TrialScore>(e =>
        {
            e.ToTable("trial_scores");
            e.HasKey(x => new { x.TrialId, x.Epoch });
            e.HasOne<TrialEpoch>().WithOne().HasForeignKey<TrialScore>(x => new { x.TrialId, x.Epoch }).OnDelete(DeleteBehavior.Cascade);
            // A rung's k-th best score, and the middle running means of an epoch: the neighbours of a pivot key in each order, ties
            // broken by trial id (decisions 0018, 0023).
            e.HasIndex(x => new { x.ExperimentId, x.StageKey, x.Epoch, x.Score, x.TrialId }).HasDatabaseName("ix_trial_scores_epoch_score");
            e.HasIndex(x => new { x.ExperimentId, x.StageKey, x.Epoch, x.RunningSum, x.TrialId }).HasDatabaseName("ix_trial_scores_epoch_running_sum");
        });
        b.Entity<EpochOrder>(e =>
        {
            // Written only by the triggers and functions of migration OrderStatistics (decision 0023).
            e.ToTable("epoch_orders");
            e.HasKey(x => new { x.ExperimentId, x.StageKey, x.Epoch });
        });
        b.Entity<Checkpoint>(e =>
        {
            e.ToTable("checkpoints");
            e.HasKey(x => x.TrialId);
        });
        b.Entity<Schedule>(e =>
        {
            e.ToTable("schedules");
            e.HasKey(x => x.Id);
            e.Property(x => x.TemplateJson).HasColumnType("jsonb");
        });
        b.Entity<Artifact>(e =>
        {
            e.ToTable("artifacts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.TrialId, x.Name }).IsUnique().HasDatabaseName("ix_artifacts_trial_name");
            e.HasIndex(x => x.ExperimentId).HasDatabaseName("ix_artifacts_experiment");
            e.HasIndex(x => x.ExpiresAt).HasDatabaseName("ix_artifacts_expires_at");
            e.HasOne<Trial>().WithMany().HasForeignKey(x => x.TrialId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash).IsUnique().HasDatabaseName("ix_api_keys_hash");
        });
        b.Entity<WorkerNode>(e =>
        {
            e.ToTable("workers");
            e.HasKey(x => x.Node);
            e.Property(x => x.PoolsJson).HasColumnType("jsonb");
            e.Property(x => x.SlotsJson).HasColumnType("jsonb");
        });

        // Columns are snake_case, as the migrations' SQL writes them.
        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
    }

    internal static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
