using HpSearch.Domain.Experiments;
using HpSearch.Domain.Recipe;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Recipe;

public class SixStepRecipeTests
{
    private static ExperimentSpec Spec(int maxTrials = 40, string sixStep = "{}", string parameters = "{}") => TestSpecs.Parse($$"""
        {
          "name": "six", "dataset": "mnist", "params": {{parameters}},
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
            "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
          },
          "strategy": { "kind": "six-step", "seed": 3, "sixStep": {{sixStep}} },
          "budget": { "maxTrials": {{maxTrials}}, "parallelism": 2, "maxFailedTrials": 3 }
        }
        """);

    private static (StrategyDecision Last, RecipeDriver Driver) Run(FakeModel model, ExperimentSpec? spec = null)
    {
        var driver = new RecipeDriver(spec ?? Spec(), new FakeTrainer(model));
        return (driver.Run(), driver);
    }

    [Fact]
    public void Strategies_CreatesTheRecipe_ForSixStep() =>
        Assert.IsType<SixStepRecipe>(HpSearch.Domain.Strategies.Strategies.Create(Spec()));

    [Fact]
    public void Next_PassesEveryStage_AndEndsWithTheBestRefinedTrial_ForAHealthyModel()
    {
        var (last, driver) = Run(FakeModel.Healthy);
        Assert.True(last.Done);
        Assert.Null(last.FailureReason);
        Assert.Equal(SixStepRecipe.StageNames, last.Stages!.Select(s => s.Name));
        Assert.All(last.Stages!, s => Assert.Equal(StageStatus.Passed, s.Status));
        Assert.Equal("curves", last.CurrentStage);

        var best = BestTrial.Choose(driver.Trials, new Objective("valAccuracy", true))!;
        Assert.Equal("refine", best.Stage);
        Assert.InRange(ParameterValue.AsDouble(best.Params["lr"]), 3e-3, 3e-2); // the fake's optimum is 1e-2
        Assert.Equal(best.Number, (int)last.Stages![5].Values!["bestTrial"]);
    }

    [Fact]
    public void Next_RunsEachStageWithItsOptions()
    {
        var (_, driver) = Run(FakeModel.Healthy);
        var o = new SixStepOptions();
        var byStage = driver.Trials.GroupBy(t => t.Stage!).ToDictionary(g => g.Key, g => g.ToList());

        var initial = Assert.Single(byStage["initial-loss"]);
        Assert.True(initial.Options!.MeasureInitialLoss && initial.Options.RegularizationOff && initial.Options.NoStopping);

        Assert.All(byStage["overfit"], t =>
        {
            Assert.Equal(o.OverfitExamplesPerClass, t.Options!.SubsetPerClass);
            Assert.True(t.Options.RegularizationOff && t.Options.NoStopping);
            Assert.Equal(o.OverfitMaxEpochs, t.MaxEpochs);
        });

        var finder = byStage["lr-finder"];
        Assert.Equal(o.LrFinderPoints, finder.Count);
        Assert.All(finder, t => Assert.Equal(o.LrFinderIterations, t.Options!.MaxIterations));
        // Epochs never end a finder run before its iterations do, whatever the batch size.
        Assert.All(finder, t => Assert.Equal(o.LrFinderIterations, t.MaxEpochs));
        Assert.All(driver.Trials, t => Assert.True(t.Options!.NoStopping, $"{t.Stage} trial {t.Number} may be stopped by the spec's rule"));
        Assert.All(finder, t => Assert.Equal(o.LrFinderWeightDecay, t.Params["weightDecay"]));
        var rates = finder.Select(t => Math.Log10(ParameterValue.AsDouble(t.Params["lr"]))).ToList();
        Assert.Equal(-5, rates[0], 9);
        Assert.Equal(-1, rates[^1], 9);

        Assert.Equal(9, byStage["coarse"].Count);
        Assert.All(byStage["coarse"], t => Assert.Equal(o.CoarseEpochs, t.MaxEpochs));
        Assert.Equal(o.CoarseWeightDecays.Order(), byStage["coarse"].Select(t => (double)t.Params["weightDecay"]).Distinct().Order());
        Assert.True(byStage["coarse"].Select(t => t.Params["dropout"]).Distinct().Count() > 1); // other parameters drawn at random

        Assert.Equal(o.RefineTrials, byStage["refine"].Count);
        Assert.All(byStage["refine"], t => Assert.True(t.Options!.ConstantLearningRate));
        Assert.All(byStage["refine"], t => Assert.Equal(o.RefineEpochs, t.MaxEpochs));
    }

    [Fact]
    public void Next_RefinesWithinOneAndAHalfTimesTheCoarseBest()
    {
        var (_, driver) = Run(FakeModel.Healthy);
        var coarse = driver.Trials.Where(t => t.Stage == "coarse").Select(t => ParameterValue.AsDouble(t.Params["lr"])).ToList();
        foreach (var t in driver.Trials.Where(t => t.Stage == "refine"))
        {
            var lr = ParameterValue.AsDouble(t.Params["lr"]);
            Assert.Contains(coarse, c => lr >= c / 1.5 - 1e-15 && lr <= c * 1.5 + 1e-15);
        }
    }

    [Fact]
    public void Next_PicksTheLowestFinderRate_NearTheLargestDrop_BelowDivergence()
    {
        var (last, _) = Run(FakeModel.Healthy);
        // The fake diverges at 0.1; 3.16e-2 drops the loss by 99.99%, 1e-2 by 95% (within 90% of it), 3.2e-3 by 61%.
        var finder = last.Stages![2].Values!;
        Assert.Equal(1e-2, finder["lr"], 9);
        Assert.Equal(Math.Pow(10, -1.5), finder["rangeHigh"], 9);
        Assert.All(last.Stages!.SelectMany(s => s.Values?.Values ?? []), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Next_FailsStageOne_WhenTheInitialLossIsFarAboveLnC()
    {
        var (last, driver) = Run(FakeModel.BadInit);
        Assert.True(last.Done);
        Assert.Equal(StageStatus.Failed, last.Stages![0].Status);
        Assert.Contains("initialised too large", last.FailureReason);
        Assert.All(last.Stages!.Skip(1), s => Assert.Equal(StageStatus.Skipped, s.Status));
        Assert.Single(driver.Trials);
    }

    [Fact]
    public void Next_ReadsTheClassCountFromParams()
    {
        // ln(10) measured, ln(100) expected: the check fails and says the class count may be wrong.
        var (last, _) = Run(FakeModel.Healthy, Spec(parameters: """{ "classes": 100 }"""));
        Assert.Equal(StageStatus.Failed, last.Stages![0].Status);
        Assert.Equal(100, last.Stages[0].Values!["classes"]);
        Assert.Contains("class count", last.FailureReason);
    }

    [Fact]
    public void Next_DiagnosesASmallLrOrModel_WhenTheOverfitLossStaysFlat()
    {
        var (last, _) = Run(FakeModel.Flat);
        Assert.Equal(StageStatus.Passed, last.Stages![0].Status);
        Assert.Equal(StageStatus.Failed, last.Stages[1].Status);
        Assert.Contains("too small", last.FailureReason);
        Assert.Equal("overfit", last.CurrentStage);
    }

    [Fact]
    public void Next_DiagnosesALargeLr_WhenTheOverfitLossIsNaN()
    {
        var (last, _) = Run(FakeModel.NaN);
        Assert.Equal(StageStatus.Failed, last.Stages![1].Status);
        Assert.Contains("too large", last.FailureReason);
    }

    [Fact]
    public void Next_SuggestsCheckingTheLabels_WhenTheLossFallsButAccuracyDoesNot()
    {
        var (last, _) = Run(FakeModel.ShuffledLabels);
        Assert.Equal(StageStatus.Failed, last.Stages![1].Status);
        Assert.Contains("labels", last.FailureReason);
    }

    [Fact]
    public void Next_WaitsForTheStagesRunningTrials_BeforeJudgingIt()
    {
        var spec = Spec();
        var recipe = new SixStepRecipe();
        var first = recipe.Next(spec, [], 2);
        var request = Assert.Single(first.NewTrials); // stage 1 has one trial
        Assert.Equal("initial-loss", request.Stage);
        var running = new TrialRecord(0, TrialStatus.Running, request.Params, [], request.Stage, request.Options);
        var wait = recipe.Next(spec, [running], 1);
        Assert.Empty(wait.NewTrials);
        Assert.False(wait.Done);
        Assert.Equal(StageStatus.Running, wait.Stages![0].Status);
        Assert.Equal(StageStatus.Pending, wait.Stages[1].Status);
    }

    [Fact]
    public void Next_NeverAsksForMoreThanFreeSlots()
    {
        var spec = Spec();
        var trainer = new FakeTrainer();
        var trials = new List<TrialRecord>();
        for (var call = 0; call < 200; call++)
        {
            var d = new SixStepRecipe().Next(spec, trials, 1);
            Assert.True(d.NewTrials.Count <= 1);
            foreach (var r in d.NewTrials) trials.Add(trainer.Train(trials.Count, r));
            if (d.Done) break;
        }
        Assert.Equal(1 + 3 + 9 + 9 + 6, trials.Count);
    }

    [Fact]
    public void Next_AsksForNothing_WithNoFreeSlot()
    {
        var d = new SixStepRecipe().Next(Spec(), [], 0);
        Assert.Empty(d.NewTrials);
        Assert.False(d.Done);
    }

    [Fact]
    public void Next_KeepsWithinMaxTrials()
    {
        var (last, driver) = Run(FakeModel.Healthy, Spec(maxTrials: 20));
        Assert.Null(last.FailureReason);
        Assert.True(driver.Trials.Count <= 20, $"{driver.Trials.Count} trials");
        Assert.Equal(SixStepRecipe.Split(new SixStepOptions(), 20), (6, 1));
    }

    [Fact]
    public void Next_Fails_WhenMoreTrialsFailedThanTheBudgetAllows()
    {
        var spec = Spec();
        var failed = Enumerable.Range(0, 4).Select(i => TestSpecs.Trial(i, TrialStatus.Failed, [])).ToList();
        var d = new SixStepRecipe().Next(spec, failed, 2);
        Assert.True(d.Done);
        Assert.Contains("maxFailedTrials", d.FailureReason);
        Assert.Empty(d.NewTrials);
        Assert.Equal(6, d.Stages!.Count);
    }

    [Fact]
    public void Next_IsDeterministic_ForTheSameSeed()
    {
        var a = Run(FakeModel.Healthy).Driver.Trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => ParameterValue.AsString(p.Value))));
        var b = Run(FakeModel.Healthy).Driver.Trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => ParameterValue.AsString(p.Value))));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Next_ReportsEveryStage_OnEveryCall()
    {
        var (_, driver) = Run(FakeModel.Healthy);
        Assert.All(driver.Decisions, d => Assert.Equal(6, d.Stages!.Count));
        Assert.Equal(SixStepRecipe.StageNames.Take(5), driver.Decisions.Select(d => d.CurrentStage!).Distinct().Take(5));
    }

    [Fact]
    public void Next_ReadsTheCurves_OfTheFinalists()
    {
        var (last, _) = Run(FakeModel.Healthy);
        var curves = last.Stages![5];
        Assert.False(string.IsNullOrEmpty(curves.Diagnosis));
        Assert.Contains("trial", curves.Diagnosis);
        Assert.True(curves.Values!.ContainsKey("gap"));
    }

    [Fact]
    public void Next_StopsWithoutFailing_AtTheTimeLimit_RecordingWhereItStood()
    {
        var spec = TestSpecs.Parse("""
            { "name": "six", "dataset": "mnist", "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
              "strategy": { "kind": "six-step" }, "budget": { "maxTrials": 40, "timeLimitSeconds": 100 } }
            """);
        var trainer = new FakeTrainer();
        IStrategy recipe = new SixStepRecipe();
        var trials = new List<TrialRecord>();
        foreach (var r in recipe.Next(spec, trials, 1, TimeSpan.FromSeconds(1)).NewTrials) trials.Add(trainer.Train(trials.Count, r));
        var d = recipe.Next(spec, trials, 1, TimeSpan.FromSeconds(100));
        Assert.True(d.Done);
        Assert.Null(d.FailureReason);
        Assert.Empty(d.NewTrials);
        Assert.Equal(StageStatus.Passed, d.Stages![0].Status);
        Assert.Equal(StageStatus.Running, d.Stages[1].Status);
        Assert.Contains("time limit", d.Stages[1].Summary);
        Assert.Equal(StageStatus.Skipped, d.Stages[2].Status);
    }

    [Fact]
    public void Split_GivesAtLeastOneCoarseAndRefineTrial_AndTheFullGridFrom28Trials()
    {
        var o = new SixStepOptions();
        Assert.Equal((1, 1), SixStepRecipe.Split(o, 1));
        Assert.Equal((9, 6), SixStepRecipe.Split(o, 28));
        Assert.Equal((9, 6), SixStepRecipe.Split(o, 1000));
        Assert.Equal(13, SixStepRecipe.DiagnosticTrials(o));
    }

    private static ExperimentSpec UserSpec(string parameters, string budget, string stopping) => TestSpecs.Parse($$"""
        {
          "name": "users-own", "dataset": "fashion-mnist", "params": {{parameters}},
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
          "strategy": { "kind": "six-step", "seed": 3 },
          "budget": {{budget}},
          "earlyStopping": {{stopping}}
        }
        """);

    [Theory]
    [InlineData("""{ "epochs": 10, "batchSize": 512 }""", """{ "maxTrials": 30 }""", """{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""")]
    [InlineData("""{ "epochs": 2, "batchSize": 16 }""", """{ "maxTrials": 30, "maxEpochs": 5 }""", """{ "kind": "median", "patience": 2 }""")]
    [InlineData("""{ "epochs": 100 }""", """{ "maxTrials": 30, "maxEpochs": 1 }""", """{ "kind": "patience", "patience": 1 }""")]
    public void Next_GivesEveryStageTheRecipesBudget_WhateverTheUsersEpochsBatchSizeAndStoppingRuleSay(string parameters, string budget, string stopping)
    {
        var spec = UserSpec(parameters, budget, stopping);
        var driver = new RecipeDriver(spec, new FakeTrainer());
        var last = driver.Run();
        Assert.True(last.FailureReason is null, last.FailureReason);
        Assert.All(last.Stages!, s => Assert.Equal(StageStatus.Passed, s.Status));

        var o = new SixStepOptions();
        var expected = new Dictionary<string, int>
        {
            ["initial-loss"] = 1, ["overfit"] = o.OverfitMaxEpochs, ["lr-finder"] = o.LrFinderIterations,
            ["coarse"] = o.CoarseEpochs, ["refine"] = o.RefineEpochs,
        };
        foreach (var t in driver.Trials)
        {
            Assert.Equal(expected[t.Stage!], t.MaxEpochs);
            // The user's epochs is replaced by the stage's, so the trainer cannot cap (or stretch) a stage.
            Assert.Equal((long)expected[t.Stage!], t.Params["epochs"]);
            Assert.Null(HpSearch.Domain.EarlyStopping.StoppingRules.Check(spec, t, driver.Trials));
        }
        Assert.All(driver.Trials.Where(t => t.Stage == "overfit"), t => Assert.Equal(o.OverfitMaxEpochs, t.Epochs.Count));
        Assert.Contains("does not apply to the recipe's stages", last.Stages![3].Summary);
    }

    [Fact]
    public void Next_LeavesEpochsUnset_WhenTheUserNeverNamedIt()
    {
        var (_, driver) = Run(FakeModel.Healthy);
        Assert.All(driver.Trials, t => Assert.False(t.Params.ContainsKey("epochs")));
    }

    [Fact]
    public void Next_FailsTheOverfitStage_NamingTheEpochCap_WhenTheTrainerRanFewerEpochsThanAllowed()
    {
        // A trainer that ignores the recipe's epochs (stops at 10 whatever it is asked) must not be read as bad data.
        var spec = UserSpec("{}", """{ "maxTrials": 30 }""", """{ "kind": "none" }""");
        var driver = new RecipeDriver(spec, new FakeTrainer());
        driver.Run();
        var overfit = driver.Trials.Where(t => t.Stage == "overfit").Select(t => t with { Epochs = t.Epochs.Take(10).ToList() }).ToList();
        var result = OverfitStage.Judge(new RecipeContext(spec, overfit, 10), overfit);
        Assert.Equal(StageStatus.Failed, result.Status);
        Assert.Contains("ran 10 of the 60 epochs the stage allows", result.Diagnosis);
        Assert.DoesNotContain("labels", result.Diagnosis);
    }
}
