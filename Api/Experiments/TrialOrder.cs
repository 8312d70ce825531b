namespace HpSearch.Api.Experiments;

/// <summary>
/// The orders a trials page or a top-k read may ask for, as SQL the indexes serve: <c>value</c> is best first for the
/// experiment's direction (indexes on <c>(experiment_id, best_value ASC|DESC NULLS LAST, number)</c>), and every order
/// ends with the trial number, so pages are stable while values tie. Trials without a value or a duration come last.
/// </summary>
public static class TrialOrder
{
    public static readonly string[] Sorts = ["number", "value", "status", "duration"];

    /// <summary>Null when <paramref name="sort"/> or <paramref name="order"/> is not one of the known words.</summary>
    public static string? Sql(string sort, string? order, bool maximize)
    {
        if (order is not (null or "asc" or "desc")) return null;
        var desc = order == "desc";
        return sort switch
        {
            "number" => desc ? "number DESC" : "number ASC",
            // Best first by default; "desc" is the reverse: worst first (still no value last).
            "value" => (maximize != desc ? "best_value DESC NULLS LAST" : "best_value ASC NULLS LAST") + ", number ASC",
            "status" => (desc ? "status DESC" : "status ASC") + ", number ASC",
            "duration" => (desc ? "(finished_at - started_at) DESC NULLS LAST" : "(finished_at - started_at) ASC NULLS LAST") + ", number ASC",
            _ => null,
        };
    }
}
