using Cronos;

namespace HpSearch.Workers.Schedules;

/// <summary>Reads the two cron dialects a schedule accepts: the common five-field crontab form (<c>0 2 * * *</c>) and the
/// six-field form with seconds first (<c>0/10 * * * * ?</c>; a seventh year field is accepted when it is <c>*</c>), into
/// the six-field form the Hangfire recurring job runs on (Cronos: <c>?</c> and names allowed; day-of-week 0/7 = Sunday).</summary>
public static class CronText
{
    /// <summary>The six-field (seconds) form of <paramref name="cron"/>, or null with a sentence saying what is wrong.</summary>
    public static string? ToSeconds(string cron, out string? error)
    {
        error = null;
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[]? six = fields.Length switch
        {
            1 when Macros.TryGetValue(fields[0].ToLowerInvariant(), out var macro) => macro.Split(' '),
            5 => FromFiveFields(fields),
            6 => fields,
            7 when fields[6] is "*" or "?" => fields[..6],
            _ => null,
        };
        if (six is null)
        {
            error = fields.Length == 7
                ? "a year field is not supported: leave it out or write '*'."
                : $"must have 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; found {fields.Length}.";
            return null;
        }
        var text = string.Join(' ', six);
        var expression = TryParse(text, out var parseError);
        if (expression is null)
        {
            error = $"is not a valid cron expression: {parseError}";
            return null;
        }
        if (expression.GetNextOccurrence(DateTime.UtcNow, TimeZoneInfo.Utc) is null)
        {
            error = "never fires after now.";
            return null;
        }
        return text;
    }

    /// <summary>The next firing after <paramref name="after"/> of a stored six-field expression in <paramref name="zone"/>.</summary>
    public static DateTimeOffset? Next(string seconds, TimeZoneInfo zone, DateTimeOffset after) =>
        TryParse(seconds, out _)?.GetNextOccurrence(after, zone);

    private static readonly Dictionary<string, string> Macros = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 0 1 1 ?", ["@annually"] = "0 0 0 1 1 ?", ["@monthly"] = "0 0 0 1 * ?", ["@weekly"] = "0 0 0 ? * 0",
        ["@daily"] = "0 0 0 * * ?", ["@midnight"] = "0 0 0 * * ?", ["@hourly"] = "0 0 * * * ?",
    };

    /// <summary>Seconds 0 in front; one of day-of-month / day-of-week is '?', as the form with seconds has always been stored.</summary>
    private static string[] FromFiveFields(string[] f)
    {
        var (dom, dow) = (f[2], f[4]);
        if (dow == "*") dow = "?";
        else if (dom == "*") dom = "?";
        return ["0", f[0], f[1], dom, f[3], dow];
    }

    private static CronExpression? TryParse(string text, out string? error)
    {
        error = null;
        try
        {
            return CronExpression.Parse(text, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return null;
        }
    }
}
