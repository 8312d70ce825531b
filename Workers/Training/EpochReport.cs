namespace HpSearch.Workers.Training;

/// <summary>One epoch's results. <see cref="Metrics"/> holds at least trainLoss, valLoss, valAccuracy, lr, seconds
/// (and trainAccuracy, gradNorm where known); <see cref="Layers"/> holds per-layer activation statistics where recorded.</summary>
public sealed record EpochReport(
    int Epoch,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<LayerStats>? Layers = null);

/// <summary>Activation statistics of one layer over an epoch's last batch(es): mean, std, share of dead (≤0 after ReLU)
/// and saturated (|tanh/sigmoid| near its bounds) units.</summary>
public sealed record LayerStats(string Layer, double Mean, double Std, double DeadFraction, double SaturatedFraction);
