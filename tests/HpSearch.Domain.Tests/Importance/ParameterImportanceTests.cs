using HpSearch.Domain.Experiments;
using HpSearch.Domain.Importance;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Importance;

public class ParameterImportanceTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    private static readonly SearchSpace Space = new([
        new ParameterSpec("lr", ParameterKind.LogUniform, 1e-5, 1e-1),
        new ParameterSpec("dropout", ParameterKind.Uniform, 0, 0.5),
        new ParameterSpec("optimizer", ParameterKind.Categorical, Values: ["sgd", "adam"]),
        new ParameterSpec("batchSize", ParameterKind.Fixed, Values: [64L]),
    ]);

    /// <summary>Random trials whose objective is <paramref name="f"/> of the parameters.</summary>
    private static List<TrialRecord> Trials(Func<double, double, string, double> f, int n = 60, int seed = 11)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            var lr = Math.Pow(10, -5 + 4 * rng.NextDouble());
            var dropout = 0.5 * rng.NextDouble();
            var opt = rng.Next(2) == 0 ? "sgd" : "adam";
            var p = new Dictionary<string, object> { ["lr"] = lr, ["dropout"] = dropout, ["optimizer"] = opt, ["batchSize"] = 64L };
            return TestSpecs.Trial(i, TrialStatus.Completed, [f(lr, dropout, opt)], parameters: p);
        }).ToList();
    }

    private static double Share(ImportanceReport r, string name) => r.Parameters.Single(p => p.Name == name).Importance;

    [Fact]
    public void Compute_GivesMostImportance_ToTheParameterThatDrivesTheObjective()
    {
        var noise = new Random(5);
        var r = ParameterImportance.Compute(Trials((lr, d, o) => 0.9 - 0.05 * Math.Pow(Math.Log10(lr) + 2.5, 2) + 0.002 * noise.NextDouble()), Space, Max);
        Assert.Equal("lr", r.Parameters[0].Name);
        Assert.True(Share(r, "lr") > 0.8, $"lr {Share(r, "lr")}");
        Assert.True(Share(r, "dropout") < 0.1, $"dropout {Share(r, "dropout")}");
        Assert.Equal(60, r.Trials);
    }

    [Fact]
    public void Compute_FindsACategoricalDriver()
    {
        var r = ParameterImportance.Compute(Trials((lr, d, o) => o == "adam" ? 0.9 : 0.6), Space, Max);
        Assert.Equal("optimizer", r.Parameters[0].Name);
        Assert.True(Share(r, "optimizer") > 0.8);
    }

    [Fact]
    public void Compute_SumsToOne_InTheUnitInterval_AndSkipsFixedParameters()
    {
        var r = ParameterImportance.Compute(Trials((lr, d, o) => lr * 100 + d), Space, Max);
        Assert.Equal(["dropout", "lr", "optimizer"], r.Parameters.Select(p => p.Name).Order());
        Assert.Equal(1, r.Parameters.Sum(p => p.Importance), 9);
        Assert.All(r.Parameters, p => Assert.InRange(p.Importance, 0, 1));
        Assert.False(string.IsNullOrWhiteSpace(r.Method));
    }

    [Fact]
    public void Compute_IsDeterministic_ForASeed()
    {
        var trials = Trials((lr, d, o) => Math.Log10(lr) + d);
        Assert.Equal(ParameterImportance.Compute(trials, Space, Max, 3), ParameterImportance.Compute(trials, Space, Max, 3), new ReportComparer());
    }

    [Fact]
    public void Compute_SharesEqually_WithTooFewTrialsOrAConstantObjective()
    {
        var few = ParameterImportance.Compute(Trials((lr, d, o) => lr, n: 3), Space, Max);
        Assert.All(few.Parameters, p => Assert.Equal(1 / 3.0, p.Importance, 9));
        var flat = ParameterImportance.Compute(Trials((lr, d, o) => 0.5), Space, Max);
        Assert.All(flat.Parameters, p => Assert.Equal(1 / 3.0, p.Importance, 9));
    }

    [Fact]
    public void Compute_LeavesOutUnfinishedAndDiagnosticTrials()
    {
        var trials = Trials((lr, d, o) => lr);
        trials[0] = trials[0] with { Status = TrialStatus.Running };
        trials[1] = trials[1] with { Options = new TrialOptions(MaxIterations: 100) };
        trials[2] = trials[2] with { Status = TrialStatus.Failed };
        Assert.Equal(57, ParameterImportance.Compute(trials, Space, Max).Trials);
    }

    [Fact]
    public void Scale_MapsLogRangesLinearlyInTheLog()
    {
        Assert.Equal(0.5, ParameterImportance.Scale(Space["lr"]!, 1e-3), 9);
        Assert.Equal(0.25, ParameterImportance.Scale(Space["optimizer"]!, "sgd"), 9);
    }

    private sealed class ReportComparer : IEqualityComparer<ImportanceReport>
    {
        public bool Equals(ImportanceReport? a, ImportanceReport? b) =>
            a!.Method == b!.Method && a.Parameters.SequenceEqual(b.Parameters);
        public int GetHashCode(ImportanceReport r) => r.Trials;
    }
}
