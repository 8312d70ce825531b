namespace HpSearch.Domain.Experiments;

/// <summary>One epoch's metrics as the Domain sees them (keys as on the wire: trainLoss, valLoss, valAccuracy, ...).</summary>
public sealed record EpochPoint(int Epoch, IReadOnlyDictionary<string, double> Metrics)
{
    public double Get(string metric) => Metrics.TryGetValue(metric, out var v) ? v : double.NaN;
}
