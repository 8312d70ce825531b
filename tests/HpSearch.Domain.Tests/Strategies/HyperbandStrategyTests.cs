using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class HyperbandStrategyTests
{
    private static ExperimentSpec Spec(string kind = "hyperband", int maxEpochs = 27, string stopping = """{ "kind": "none" }""") => TestSpecs.Parse($$"""
        {
          "name": "hb", "dataset": "mnist",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 }, "dropout": { "type": "uniform", "low": 0, "high": 0.5 } },
          "strategy": { "kind": "{{kind}}", "seed": 3, "hyperband": { "minEpochs": 1, "reductionFactor": 3 } },
          "budget": { "maxTrials": 100, "parallelism": 4, "maxEpochs": {{maxEpochs}} },
          "earlyStopping": {{stopping}}
        }
        """);

    [Fact]
    public void Options_GiveThePapersBrackets_ForR27AndEta3()
    {
        var o = new HyperbandOptions(1, 3);
        Assert.Equal(3, o.MaxBracket(27));
        Assert.Equal([27, 12, 6, 4], o.Sizes(27));
        Assert.Equal([1, 3, 9, 27], Enumerable.Range(0, 4).Select(o.BracketMinEpochs));
        Assert.Equal(0, o.MaxBracket(2)); // r·η > R: one bracket, plain training
    }

    [Fact]
    public void BracketOf_KeepsTheProportions_AndVisitsEveryBracketEarly()
    {
        var o = new HyperbandOptions(1, 3);
        var brackets = Enumerable.Range(0, 49).Select(n => o.BracketOf(n, 27)).ToList();
        Assert.Equal([27, 12, 6, 4], Enumerable.Range(0, 4).Select(s => brackets.Count(b => b == s)));
        Assert.Equal(4, brackets.Take(12).Distinct().Count());
        Assert.Equal(brackets, Enumerable.Range(49, 49).Select(n => o.BracketOf(n, 27))); // the pattern repeats
    }

    [Theory]
    [InlineData("hyperband", typeof(RandomSampler))]
    [InlineData("bohb", typeof(TpeSampler))]
    public void Next_PutsEachTrialInItsBracketStage_WithTheWholeEpochBudget(string kind, Type sampler)
    {
        var spec = Spec(kind);
        var strategy = Assert.IsType<HyperbandStrategy>(HpSearch.Domain.Strategies.Strategies.Create(spec));
        Assert.IsType(sampler, strategy.Sampler);
        var d = strategy.Next(spec, [], 4);
        Assert.Equal(4, d.NewTrials.Count);
        var o = spec.Strategy.Hyperband!;
        Assert.Equal(Enumerable.Range(0, 4).Select(n => HyperbandOptions.Stage(o.BracketOf(n, 27))), d.NewTrials.Select(r => r.Stage));
        Assert.All(d.NewTrials, r => Assert.Equal(27, r.MaxEpochs));
    }

    [Fact]
    public void Parse_TurnsTheRuleIntoSuccessiveHalving_KeepingPatience()
    {
        var spec = Spec(stopping: """{ "kind": "patience", "patience": 4 }""");
        Assert.Equal(new EarlyStoppingSpec(StoppingKind.Asha, 4, 0, 1, 3, 3, 1), spec.EarlyStopping);
        Assert.Equal(StoppingKind.Asha, Spec().EarlyStopping.Kind);
    }

    [Fact]
    public void Check_StartsEachBracketsRungsAtItsOwnMinimum_AndComparesWithinTheBracket()
    {
        var spec = Spec();
        TrialRecord Trial(int n, string stage, params double[] values) =>
            new(n, TrialStatus.Running, new Dictionary<string, object> { ["lr"] = 0.01 },
                values.Select((v, i) => TestSpecs.Epoch(i + 1, ("valAccuracy", v))).ToList(), stage, MaxEpochs: 27);
        var b0 = Enumerable.Range(0, 3).Select(n => Trial(n, "bracket-0", 0.9 - 0.1 * n)).ToList();
        var weakInBracket1 = Trial(3, "bracket-1", 0.1);
        var all = new List<TrialRecord>([.. b0, weakInBracket1, Trial(4, "bracket-1", 0.5, 0.6, 0.7)]);

        // Bracket 0's first rung is epoch 1: the worst of three is stopped, judged only against bracket 0.
        var decision = StoppingRules.Check(spec, b0[2], all);
        Assert.NotNull(decision);
        Assert.Equal(1, decision.Epoch);
        Assert.Null(StoppingRules.Check(spec, b0[0], all));
        // Bracket 1's first rung is epoch 3: a poor first epoch goes on.
        Assert.Null(StoppingRules.Check(spec, weakInBracket1, all));
    }
}
