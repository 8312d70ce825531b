namespace HpSearch.Domain.Validation;

/// <summary>Collects validation errors keyed by the JSON path of the bad field (e.g. <c>searchSpace.lr.low</c>).</summary>
public sealed class SpecErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>The errors in the shape ASP.NET's ValidationProblem expects.</summary>
    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() =>
        string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
