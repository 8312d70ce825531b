using HpSearch.Domain.Parameters;

namespace HpSearch.Domain.Experiments;

/// <summary>What the deployment offers: trainers (with the parameter schema each publishes) and data sets.</summary>
public interface ISpecCatalog
{
    IReadOnlyCollection<string> Trainers { get; }
    IReadOnlyCollection<string> Datasets { get; }

    /// <summary>The parameters a trainer accepts; null when the trainer is not known here (nothing can be checked).</summary>
    ParameterSchema? SchemaOf(string trainer);

    /// <summary>The pool a trainer is meant for (e.g. gpu for a GPU command trainer); null when it runs in any pool.</summary>
    string? PoolOf(string trainer) => null;

    /// <summary>The trainer of a spec that names none (<c>auto</c> where the deployment offers it).</summary>
    string DefaultTrainer => "builtin";

    /// <summary>True when reading a spec that was validated when it was stored: the submit-time checks (schemas, limits,
    /// stricter rules added since) are skipped so that an experiment accepted once stays readable.</summary>
    bool IsStored => false;

    /// <summary>The most memory one trial may need (the pool's configured limit), checked against the trainer's estimate.</summary>
    long MaxTrialBytes => long.MaxValue;
}
