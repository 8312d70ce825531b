using System.Globalization;

namespace HpSearch.Api.Schedules;

/// <summary>The shortest time between two firings of a cron expression (five-field crontab or Quartz's six/seven
/// fields with seconds), read from its seconds and minutes fields: enough to refuse a schedule that fires too often.</summary>
public static class CronSpacing
{
    /// <summary>Seconds between the closest two firings (at most 3600: hours and days only space them further), or null
    /// when a field uses syntax this reader does not follow (the cron was validated already; the check is then skipped).</summary>
    public static int? MinSeconds(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length == 1 && fields[0].StartsWith('@')) return 3600;
        var (seconds, minutes) = fields.Length switch
        {
            5 => ("0", fields[0]),
            6 or 7 => (fields[0], fields[1]),
            _ => (null, null),
        };
        if (seconds is null || minutes is null) return null;
        var s = Expand(seconds);
        if (s is null) return null;
        if (s.Count > 1) return MinGap(s);
        var m = Expand(minutes);
        if (m is null) return null;
        return m.Count > 1 ? MinGap(m) * 60 : 3600;
    }

    /// <summary>The values 0–59 a seconds or minutes field names: lists, ranges, steps, * and ?.</summary>
    private static SortedSet<int>? Expand(string field)
    {
        var set = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var slash = part.Split('/');
            if (slash.Length > 2) return null;
            var step = 1;
            if (slash.Length == 2 && (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)) return null;
            int lo, hi;
            if (slash[0] is "*" or "?") (lo, hi) = (0, 59);
            else if (slash[0].Split('-') is [var a, var b])
            {
                if (!Number(a, out lo) || !Number(b, out hi)) return null;
            }
            else
            {
                if (!Number(slash[0], out lo)) return null;
                hi = slash.Length == 2 ? 59 : lo;
            }
            for (var v = lo; v <= hi; v += step) set.Add(v);
        }
        return set.Count == 0 ? null : set;
    }

    private static bool Number(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 59;

    /// <summary>The smallest gap between consecutive values, wrapping around the minute (or hour).</summary>
    private static int MinGap(SortedSet<int> values)
    {
        var list = values.ToList();
        var gap = list[0] + 60 - list[^1];
        for (var i = 1; i < list.Count; i++) gap = Math.Min(gap, list[i] - list[i - 1]);
        return gap;
    }
}
