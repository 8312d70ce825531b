namespace HpSearch.Domain.Strategies;

/// <summary>A trial the strategy wants run: sampled parameters (merged over the spec's fixed params by the controller).</summary>
public sealed record TrialRequest(
    IReadOnlyDictionary<string, object> Params,
    int MaxEpochs,
    string? Stage = null,
    TrialOptions? Options = null);
