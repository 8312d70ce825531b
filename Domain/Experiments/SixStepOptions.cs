namespace HpSearch.Domain.Experiments;

/// <summary>Thresholds of the six-step recipe (CS231n, "Babysitting the learning process"); every one overridable.</summary>
public sealed record SixStepOptions
{
    /// <summary>Stage 1 passes when |initial loss − ln C| ≤ this.</summary>
    public double InitialLossTolerance { get; init; } = 0.25;
    /// <summary>Stage 2: examples per class in the tiny subset.</summary>
    public int OverfitExamplesPerClass { get; init; } = 5;
    /// <summary>Stage 2: epochs allowed to overfit the subset.</summary>
    public int OverfitMaxEpochs { get; init; } = 60;
    /// <summary>Stage 2 passes when train accuracy reaches this.</summary>
    public double OverfitTargetAccuracy { get; init; } = 0.99;
    /// <summary>Stage 3: the learning rates tried, log-spaced between these.</summary>
    public double LrFinderLow { get; init; } = 1e-5;
    public double LrFinderHigh { get; init; } = 1e-1;
    public int LrFinderPoints { get; init; } = 9;
    /// <summary>Stage 3: iterations (mini-batches) per learning rate.</summary>
    public int LrFinderIterations { get; init; } = 100;
    /// <summary>Stage 3: the small weight decay used while finding the rate.</summary>
    public double LrFinderWeightDecay { get; init; } = 1e-6;
    /// <summary>Stage 4: multipliers applied to the found rate and weight decays crossed with them.</summary>
    public IReadOnlyList<double> CoarseLrFactors { get; init; } = [0.5, 1, 2];
    public IReadOnlyList<double> CoarseWeightDecays { get; init; } = [0, 1e-5, 1e-4];
    public int CoarseEpochs { get; init; } = 3;
    /// <summary>Stage 5: how many of the coarse stage's best go on, how many trials and epochs.</summary>
    public int RefineTopK { get; init; } = 3;
    public int RefineTrials { get; init; } = 6;
    public int RefineEpochs { get; init; } = 12;
    /// <summary>Stage 6: moving-average window for smoothing curves.</summary>
    public int SmoothingWindow { get; init; } = 3;
    /// <summary>Stage 6: train/validation accuracy gap above which the fit is called overfitting.</summary>
    public double OverfitGap { get; init; } = 0.05;
}
