namespace HpSearch.Workers.Training;

/// <summary>The training half of an epoch's metrics, the same for every in-process trainer (built-in, TorchSharp).</summary>
internal static class EpochMetrics
{
    /// <summary>Every metric an in-process trainer reports (the declared metrics of their schemas).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(Domain.Experiments.Objective.BuiltinMetrics, StringComparer.Ordinal);

    /// <summary><c>lr</c>, <c>seconds</c> (filled in when the epoch ends), <c>trainSeconds</c>, <c>iterations</c>,
    /// <c>parameters</c> (the model's trainable values, an objective to minimise), and the means of the batches seen:
    /// <c>trainLoss</c>, <c>trainAccuracy</c>, <c>gradNorm</c>. <see cref="Names"/> with valLoss and valAccuracy.</summary>
    public static Dictionary<string, double> OfTraining(double lr, double trainSeconds, long iterations, long parameters,
        double lossSum, long correct, double normSum, long seen, int batches)
    {
        var metrics = new Dictionary<string, double>
        {
            ["lr"] = lr, ["seconds"] = 0, ["trainSeconds"] = trainSeconds, ["iterations"] = iterations, ["parameters"] = parameters,
        };
        if (seen > 0)
        {
            metrics["trainLoss"] = lossSum / seen;
            metrics["trainAccuracy"] = (double)correct / seen;
            metrics["gradNorm"] = normSum / batches;
        }
        return metrics;
    }
}
