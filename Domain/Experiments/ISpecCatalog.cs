namespace HpSearch.Domain.Experiments;

/// <summary>What the deployment offers: trainers (with the parameter names each accepts) and data sets.</summary>
public interface ISpecCatalog
{
    IReadOnlyCollection<string> Trainers { get; }
    IReadOnlyCollection<string> Datasets { get; }

    /// <summary>The parameter names a trainer understands; null when it accepts any name (command trainers).</summary>
    IReadOnlySet<string>? ParametersOf(string trainer);

    /// <summary>The pool a trainer is meant for (e.g. gpu for a GPU command trainer); null when it runs in any pool.</summary>
    string? PoolOf(string trainer) => null;

    /// <summary>Why <paramref name="trainer"/> cannot take <paramref name="value"/> for parameter <paramref name="name"/>
    /// (e.g. a model it does not have); null when it can or does not say. Checked at submit.</summary>
    string? CheckValue(string trainer, string name, object value) => null;

    /// <summary>The trainer of a spec that names none (<c>auto</c> where the deployment offers it).</summary>
    string DefaultTrainer => "builtin";
}
