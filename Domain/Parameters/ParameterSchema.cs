using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Parameters;

/// <summary>
/// The parameters a trainer accepts, published by the trainer and checked at submit time against every fixed value and
/// every value the search space can produce. A closed schema names every parameter; an open one (a command trainer
/// without declared parameters) accepts any name whose value passes <see cref="OpenRule"/>.
/// </summary>
public sealed class ParameterSchema(IReadOnlyDictionary<string, ParameterRule> rules, ParameterRule? openRule = null)
{
    /// <summary>Any name, any number, string or boolean value: what a command trainer accepts by default.</summary>
    public static readonly ParameterSchema Open = new(new Dictionary<string, ParameterRule>(), ParameterRule.Scalar());

    public IReadOnlyDictionary<string, ParameterRule> Rules { get; } = rules;

    /// <summary>The rule for names not in <see cref="Rules"/>; null when such names are refused.</summary>
    public ParameterRule? OpenRule { get; } = openRule;

    /// <summary>Estimates one trial's peak memory in bytes from a full assignment of parameters and the data set; null when
    /// the trainer cannot tell (a command trainer's program).</summary>
    public Func<IReadOnlyDictionary<string, object>, string, long?>? EstimateBytes { get; init; }

    /// <summary>The metrics the trainer reports each epoch, so an objective naming another is refused at submit; null when
    /// the trainer reports whatever its program prints (a command trainer without declared metrics, ask/tell clients).</summary>
    public IReadOnlySet<string>? Metrics { get; init; }

    public ParameterRule? RuleFor(string name) => Rules.TryGetValue(name, out var r) ? r : OpenRule;

    /// <summary>Records an error when <paramref name="name"/> is not a parameter of the trainer; returns its rule otherwise.</summary>
    public ParameterRule? Resolve(string name, string trainer, string path, SpecErrors errors)
    {
        var rule = RuleFor(name);
        if (rule is null)
            errors.Add(path, $"'{name}' is not a parameter of trainer '{trainer}'; known: {string.Join(", ", Rules.Keys.Order(StringComparer.Ordinal))}.");
        return rule;
    }

    /// <summary>Checks every fixed value and every value the search space can produce (range ends, each categorical value),
    /// and that no parameter is both fixed and searched; errors name the path (<c>params.hidden[1]</c>, <c>searchSpace.lr.low</c>).</summary>
    public void Check(IReadOnlyDictionary<string, object> fixedParams, SearchSpace space, string trainer, SpecErrors errors)
    {
        foreach (var (name, value) in fixedParams)
        {
            var path = $"params.{name}";
            Resolve(name, trainer, path, errors)?.Check(value, path, errors);
        }
        foreach (var p in space.Parameters)
        {
            var path = $"searchSpace.{p.Name}";
            if (fixedParams.ContainsKey(p.Name))
                errors.Add(path, $"'{p.Name}' is both fixed in params and searched; keep one.");
            var rule = Resolve(p.Name, trainer, path, errors);
            if (rule is not null) CheckSearched(p, rule, path, errors);
        }
    }

    private static void CheckSearched(ParameterSpec p, ParameterRule rule, string path, SpecErrors errors)
    {
        switch (p.Kind)
        {
            case ParameterKind.Uniform or ParameterKind.LogUniform or ParameterKind.Int:
                if (p.Kind != ParameterKind.Int && !rule.IsContinuous)
                {
                    errors.Add(JsonRead.Join(path, "type"), rule.Type == RuleType.Integer || rule.Type == RuleType.IntegerList
                        ? "this parameter takes whole numbers: search it with type 'int'."
                        : "this parameter is not a number: search it with type 'categorical'.");
                    return;
                }
                if (!rule.IsNumeric)
                {
                    errors.Add(JsonRead.Join(path, "type"), "this parameter is not a number: search it with type 'categorical'.");
                    return;
                }
                if (rule.OutOfBounds(p.Low) is { } low) errors.Add(JsonRead.Join(path, "low"), low);
                if (rule.OutOfBounds(p.High) is { } high) errors.Add(JsonRead.Join(path, "high"), high);
                return;
            case ParameterKind.Categorical:
                for (var i = 0; i < p.Choices.Count; i++)
                {
                    // Reported at the parameter, with the offending value's index in the message.
                    var inner = new SpecErrors();
                    rule.Check(p.Choices[i], $"values[{i}]", inner);
                    foreach (var (field, messages) in inner.ToDictionary())
                        foreach (var m in messages) errors.Add(path, $"{field}: {m}");
                }
                return;
            default:
                rule.Check(p.Choices[0], path, errors);
                return;
        }
    }
}
