using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Parameters;

/// <summary>Checks at submit time that the largest trial a spec can produce fits the pool's per-trial memory limit.</summary>
public static class TrialResources
{
    /// <summary>Estimates the worst case: every range at its upper end, each categorical parameter at the choice that needs
    /// the most memory (sizes grow with widths, channels and batch size, so the upper ends are the largest).</summary>
    public static void Check(ParameterSchema schema, IReadOnlyDictionary<string, object> fixedParams, SearchSpace space,
        string dataset, long maxBytes, SpecErrors errors)
    {
        if (schema.EstimateBytes is not { } estimate) return;
        var worst = new Dictionary<string, object>(fixedParams, StringComparer.Ordinal);
        foreach (var p in space.Parameters)
            worst[p.Name] = p.Kind switch
            {
                ParameterKind.Int => (object)(long)p.High,
                ParameterKind.Uniform or ParameterKind.LogUniform => p.High,
                _ => p.Choices[0],
            };
        foreach (var p in space.Parameters.Where(p => p.Kind == ParameterKind.Categorical))
        {
            long best = -1;
            var heaviest = p.Choices[0];
            foreach (var choice in p.Choices)
            {
                worst[p.Name] = choice;
                var bytes = Estimate(estimate, worst, dataset);
                if (bytes > best) (best, heaviest) = (bytes, choice);
            }
            // The heaviest choice stays in place for the parameters that follow.
            worst[p.Name] = heaviest;
        }
        var need = Estimate(estimate, worst, dataset);
        if (need > maxBytes)
            errors.Add(space.Parameters.Count > 0 ? "searchSpace" : "params",
                $"the largest trial this spec allows needs about {Mib(need)} MiB (parameters, optimizer state, activations at the batch size, data); the limit per trial is {Mib(maxBytes)} MiB. Narrow the widths, channels or batch size.");
    }

    private static long Estimate(Func<IReadOnlyDictionary<string, object>, string, long?> estimate, IReadOnlyDictionary<string, object> p, string dataset)
    {
        // Sizes past long's range count as infinite: checked arithmetic in the estimate throws instead of wrapping.
        try { return estimate(p, dataset) ?? 0; }
        catch (OverflowException) { return long.MaxValue; }
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
