using Quartz;

namespace HpSearch.Workers.Schedules;

/// <summary>Reads the two cron dialects a schedule accepts: the common five-field crontab form (<c>0 2 * * *</c>) and
/// Quartz's six/seven-field form with seconds (<c>0/10 * * * * ?</c>), into the Quartz form the trigger runs on.</summary>
public static class CronText
{
    /// <summary>The Quartz form of <paramref name="cron"/>, or null with a sentence saying what is wrong.</summary>
    public static string? ToQuartz(string cron, out string? error)
    {
        error = null;
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var format = fields.Length switch
        {
            1 when fields[0].StartsWith('@') => CronFormat.Quartz, // @daily, @hourly, ...
            5 => CronFormat.Unix,
            6 or 7 => CronFormat.Quartz,
            _ => (CronFormat?)null,
        };
        if (format is null)
        {
            error = $"must have 5 fields (minute hour day-of-month month day-of-week) or Quartz's 6-7 (with seconds first); found {fields.Length}.";
            return null;
        }
        try
        {
            // Quartz requires '?' in one of day-of-month/day-of-week; the Unix reader writes it for the five-field form.
            var expression = CronExpression.Parse(string.Join(' ', fields), format.Value);
            if (expression.GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null)
            {
                error = "never fires after now.";
                return null;
            }
            return expression.CronExpressionString;
        }
        catch (FormatException e)
        {
            error = $"is not a valid cron expression: {e.Message}";
            return null;
        }
    }
}
