using System.Text.Json;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>Reads <c>strategy.tpe</c> (<see cref="TpeOptions"/>), naming every bad field.</summary>
internal static class TpeOptionsReader
{
    public static TpeOptions Read(JsonElement o, SpecErrors errors, string path)
    {
        var d = TpeOptions.Default;
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object.");
            return d;
        }
        JsonRead.RejectUnknown(o, path, errors, "startupTrials", "candidates", "multivariate", "constantLiar", "gamma");
        string P(string n) => JsonRead.Join(path, n);
        var startup = JsonRead.Int(o, "startupTrials", P("startupTrials"), errors) ?? d.StartupTrials;
        if (startup is < 0 or > 10_000) errors.Add(P("startupTrials"), "must be between 0 and 10000.");
        var candidates = JsonRead.Int(o, "candidates", P("candidates"), errors) ?? d.Candidates;
        if (candidates is < 1 or > 1000) errors.Add(P("candidates"), "must be between 1 and 1000.");
        var gamma = JsonRead.Number(o, "gamma", P("gamma"), errors) ?? d.Gamma;
        if (gamma is <= 0 or > 1) errors.Add(P("gamma"), "must be in (0, 1].");
        return new TpeOptions(
            startup, candidates,
            JsonRead.Bool(o, "multivariate", P("multivariate"), errors) ?? d.Multivariate,
            JsonRead.Bool(o, "constantLiar", P("constantLiar"), errors) ?? d.ConstantLiar,
            gamma);
    }
}
