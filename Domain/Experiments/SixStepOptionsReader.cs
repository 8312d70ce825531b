using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>Reads the overridable thresholds of the six-step recipe from <c>strategy.sixStep</c>.</summary>
public static class SixStepOptionsReader
{
    /// <summary>Most values a coarse-grid list may have (the grid is their product).</summary>
    public const int MaxListItems = 20;

    public static SixStepOptions Read(JsonElement o, SpecErrors errors, string path)
    {
        var d = new SixStepOptions();
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object.");
            return d;
        }
        JsonRead.RejectUnknown(o, path, errors,
            "initialLossTolerance", "overfitExamplesPerClass", "overfitMaxEpochs", "overfitTargetAccuracy",
            "lrFinderLow", "lrFinderHigh", "lrFinderPoints", "lrFinderIterations", "lrFinderWeightDecay",
            "coarseLrFactors", "coarseWeightDecays", "coarseEpochs", "refineTopK", "refineTrials", "refineEpochs",
            "smoothingWindow", "overfitGap");
        string P(string n) => JsonRead.Join(path, n);
        double Pos(string n, double def)
        {
            var v = JsonRead.Number(o, n, P(n), errors) ?? def;
            if (v <= 0) errors.Add(P(n), "must be positive.");
            return v;
        }
        int PosInt(string n, int def, int max)
        {
            var v = JsonRead.Int(o, n, P(n), errors) ?? def;
            if (v < 1 || v > max) errors.Add(P(n), $"must be between 1 and {max}.");
            return Math.Clamp(v, 1, max);
        }
        IReadOnlyList<double> List(string n, IReadOnlyList<double> def, bool allowZero)
        {
            if (!JsonRead.TryGet(o, n, out var a)) return def;
            if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() is 0 or > MaxListItems
                || a.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !x.TryGetDouble(out var v) || !double.IsFinite(v) || v < 0 || (!allowZero && v == 0)))
            {
                errors.Add(P(n), allowZero ? $"must be an array of 1 to {MaxListItems} numbers ≥ 0." : $"must be an array of 1 to {MaxListItems} positive numbers.");
                return def;
            }
            return a.EnumerateArray().Select(x => x.GetDouble()).ToList();
        }
        var r = new SixStepOptions
        {
            InitialLossTolerance = Pos("initialLossTolerance", d.InitialLossTolerance),
            OverfitExamplesPerClass = PosInt("overfitExamplesPerClass", d.OverfitExamplesPerClass, 1000),
            OverfitMaxEpochs = PosInt("overfitMaxEpochs", d.OverfitMaxEpochs, 10000),
            OverfitTargetAccuracy = Pos("overfitTargetAccuracy", d.OverfitTargetAccuracy),
            LrFinderLow = Pos("lrFinderLow", d.LrFinderLow),
            LrFinderHigh = Pos("lrFinderHigh", d.LrFinderHigh),
            LrFinderPoints = PosInt("lrFinderPoints", d.LrFinderPoints, 100),
            LrFinderIterations = PosInt("lrFinderIterations", d.LrFinderIterations, 100000),
            LrFinderWeightDecay = JsonRead.Number(o, "lrFinderWeightDecay", P("lrFinderWeightDecay"), errors) ?? d.LrFinderWeightDecay,
            CoarseLrFactors = List("coarseLrFactors", d.CoarseLrFactors, allowZero: false),
            CoarseWeightDecays = List("coarseWeightDecays", d.CoarseWeightDecays, allowZero: true),
            CoarseEpochs = PosInt("coarseEpochs", d.CoarseEpochs, 10000),
            RefineTopK = PosInt("refineTopK", d.RefineTopK, 100),
            RefineTrials = PosInt("refineTrials", d.RefineTrials, 10000),
            RefineEpochs = PosInt("refineEpochs", d.RefineEpochs, 10000),
            SmoothingWindow = PosInt("smoothingWindow", d.SmoothingWindow, 100),
            OverfitGap = Pos("overfitGap", d.OverfitGap),
        };
        if (r.LrFinderLow >= r.LrFinderHigh) errors.Add(P("lrFinderLow"), "must be less than lrFinderHigh.");
        if (r.OverfitTargetAccuracy > 1) errors.Add(P("overfitTargetAccuracy"), "must be at most 1.");
        if (r.LrFinderWeightDecay < 0) errors.Add(P("lrFinderWeightDecay"), "must not be negative.");
        return r;
    }
}
