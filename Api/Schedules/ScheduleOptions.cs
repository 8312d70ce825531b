namespace HpSearch.Api.Schedules;

/// <summary>Operator limits on schedules ("Schedules" section).</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Schedules";

    /// <summary>The shortest accepted time between two firings of a schedule (a cron firing every second would queue a
    /// sweep every second).</summary>
    public int MinIntervalSeconds { get; set; } = 300;

    public bool IsValid => MinIntervalSeconds >= 1;
}
