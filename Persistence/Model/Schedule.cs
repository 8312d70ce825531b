namespace HpSearch.Persistence.Model;

/// <summary>A cron schedule that creates an experiment from <see cref="TemplateJson"/> at every firing.
/// <see cref="Cron"/> is what the user wrote; <see cref="QuartzCron"/> (name kept from the Quartz days) the six-field form with seconds that its Hangfire recurring job runs on.</summary>
public sealed class Schedule
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Cron { get; set; }
    public required string QuartzCron { get; set; }
    public required string TimeZone { get; set; }
    public required string TemplateJson { get; set; }
    public bool Enabled { get; set; }
    /// <summary>"skip" or "runOnce".</summary>
    public required string MisfirePolicy { get; set; }
    /// <summary>"skip" or "queue".</summary>
    public required string OverlapPolicy { get; set; }
    /// <summary>How many of the previous run's best configurations a new run re-evaluates first; 0 = off.</summary>
    public int WarmStartTopK { get; set; }
    /// <summary>A run whose best is worse than the previous run's best by more than this is flagged a regression.</summary>
    public double RegressionMargin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastFiredAt { get; set; }
    /// <summary>What the last firing did: "created", or why it skipped.</summary>
    public string? LastFireOutcome { get; set; }
}
