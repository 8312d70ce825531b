using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Diagnosis;

/// <summary>
/// Reads smoothed learning curves as CS231n's "babysitting the learning process" does
/// (https://cs231n.github.io/neural-networks-3/#baby): a large train/validation gap is overfitting, a training loss
/// still falling at the end or no gap at a low accuracy is underfitting, otherwise a good fit. Pure function.
/// </summary>
public static class CurveDiagnosis
{
    /// <summary>Relative fall of the smoothed training loss over the last window above which it is "still falling".</summary>
    public const double FallingTolerance = 0.01;
    /// <summary>Relative improvement of the smoothed validation metric over the last window below which it has plateaued.</summary>
    public const double PlateauTolerance = 0.005;
    /// <summary>Train accuracy below which a run with (almost) no gap is called underfitting: capacity to spare.</summary>
    public const double LowTrainAccuracy = 0.95;

    /// <summary>Trailing moving average over <paramref name="window"/> epochs; NaN values are skipped (NaN if all are).</summary>
    public static IReadOnlyList<double> Smooth(IReadOnlyList<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            double sum = 0;
            var n = 0;
            for (var j = Math.Max(0, i - window + 1); j <= i; j++)
                if (double.IsFinite(values[j])) (sum, n) = (sum + values[j], n + 1);
            result[i] = n == 0 ? double.NaN : sum / n;
        }
        return result;
    }

    /// <summary>Diagnoses one trial from its epochs (trainLoss, trainAccuracy, valLoss, valAccuracy).</summary>
    /// <param name="objective">The validation metric read is the objective's when it is a val* metric, else valAccuracy.</param>
    /// <param name="overfitGap">Train − validation accuracy above which the fit is overfitting.</param>
    public static CurveReport Diagnose(IReadOnlyList<EpochPoint> epochs, Objective objective, int window, double overfitGap)
    {
        var valMetric = objective.Metric.StartsWith("val", StringComparison.Ordinal) ? objective.Metric : "valAccuracy";
        var maximize = valMetric == objective.Metric ? objective.Maximize : true;
        var trainLoss = Smooth(Series(epochs, "trainLoss"), window);
        var val = Smooth(Series(epochs, valMetric), window);
        var n = epochs.Count;
        if (n < 2 || !double.IsFinite(trainLoss[^1]) || !double.IsFinite(val[^1]))
            return new CurveReport(FitKind.Unknown, $"too few finite epochs ({n}) to read the curves.",
                "train for more epochs before reading the curves.", n == 0 ? double.NaN : trainLoss[^1],
                n == 0 ? double.NaN : val[^1], double.NaN, false, false);

        var back = Math.Min(window, n - 1);
        var lossFalling = RelativeGain(trainLoss[n - 1 - back], trainLoss[^1], maximize: false) > FallingTolerance;
        var plateau = RelativeGain(val[n - 1 - back], val[^1], maximize) < PlateauTolerance;

        var trainAcc = Smooth(Series(epochs, "trainAccuracy"), window)[^1];
        var valAcc = Smooth(Series(epochs, "valAccuracy"), window)[^1];
        var valLoss = Smooth(Series(epochs, "valLoss"), window)[^1];
        var gap = double.IsFinite(trainAcc) && double.IsFinite(valAcc) ? trainAcc - valAcc
            : double.IsFinite(valLoss) && valLoss > 0 ? (valLoss - trainLoss[^1]) / valLoss
            : double.NaN;

        // Validation has turned: its smoothed best lies before the last window and the end is clearly worse.
        var bestAt = 0;
        for (var i = 1; i < n; i++)
            if (double.IsFinite(val[i]) && (!double.IsFinite(val[bestAt]) || (maximize ? val[i] > val[bestAt] : val[i] < val[bestAt])))
                bestAt = i;
        var turned = bestAt < n - 1 - back && RelativeGain(val[bestAt], val[^1], maximize) < -PlateauTolerance * 2;

        string fmt(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        if (gap > overfitGap || (turned && lossFalling))
            return Report(FitKind.Overfitting,
                turned ? $"{valMetric} peaked at epoch {bestAt + 1} and got worse while the training loss kept falling (gap {fmt(gap)})."
                       : $"train/validation gap {fmt(gap)} is above {fmt(overfitGap)}.",
                "more regularization: raise weight decay or dropout, add data augmentation, or stop earlier (the best epoch is kept).");
        if (lossFalling && !plateau)
            return Report(FitKind.Underfitting,
                $"the training loss is still falling ({fmt(trainLoss[n - 1 - back])} → {fmt(trainLoss[^1])} over the last {back} epochs) and {valMetric} still improves.",
                "train longer: the model has not converged.");
        if (double.IsFinite(trainAcc) && trainAcc < LowTrainAccuracy && gap <= overfitGap / 5)
            return Report(FitKind.Underfitting,
                $"training accuracy {fmt(trainAcc)} has flattened with almost no gap to validation ({fmt(gap)}).",
                "use a bigger model (more or wider layers) or less regularization: the model has capacity to spare.");
        return Report(FitKind.GoodFit,
            $"{valMetric} has {(plateau ? "plateaued" : "nearly plateaued")} with a gap of {fmt(gap)} (below {fmt(overfitGap)}).",
            "keep these settings; train longer only while validation still improves.");

        CurveReport Report(FitKind fit, string diagnosis, string advice) =>
            new(fit, diagnosis, advice, trainLoss[^1], val[^1], gap, lossFalling, plateau);
    }

    private static double[] Series(IReadOnlyList<EpochPoint> epochs, string metric) => epochs.Select(e => e.Get(metric)).ToArray();

    /// <summary>How much better <paramref name="to"/> is than <paramref name="from"/>, relative to |from|.</summary>
    private static double RelativeGain(double from, double to, bool maximize)
    {
        if (!double.IsFinite(from) || !double.IsFinite(to)) return 0;
        var scale = Math.Max(Math.Abs(from), 1e-12);
        return (maximize ? to - from : from - to) / scale;
    }
}
