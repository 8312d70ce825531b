using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class BudgetRulesTests
{
    private static TrialRecord T(int n, TrialStatus s, double v = 0.5) => TestSpecs.Trial(n, s, [v]);

    [Fact]
    public void Exhausted_IsNull_WithinBudget()
    {
        Assert.Null(BudgetRules.Exhausted(TestSpecs.Spec(maxFailed: 2), [T(0, TrialStatus.Failed), T(1, TrialStatus.Failed)]));
    }

    [Fact]
    public void Exhausted_Fails_WhenMoreThanMaxFailedTrialsFailed()
    {
        var stop = BudgetRules.Exhausted(TestSpecs.Spec(maxFailed: 2), [T(0, TrialStatus.Failed), T(1, TrialStatus.Failed), T(2, TrialStatus.Failed)]);
        Assert.NotNull(stop);
        Assert.Contains("maxFailedTrials", stop.Value.Failure);
    }

    [Fact]
    public void Exhausted_DoesNotCountDivergedOrPrunedTrials_AsFailures()
    {
        Assert.Null(BudgetRules.Exhausted(TestSpecs.Spec(maxFailed: 0), [T(0, TrialStatus.Diverged, double.NaN), T(1, TrialStatus.Pruned)]));
    }

    [Fact]
    public void Exhausted_Stops_WhenATrialReachesTheTarget()
    {
        var spec = TestSpecs.Spec(extraBudget: """, "targetValue": 0.9""");
        Assert.Null(BudgetRules.Exhausted(spec, [T(0, TrialStatus.Completed, 0.89)]));
        var stop = BudgetRules.Exhausted(spec, [T(0, TrialStatus.Completed, 0.89), T(1, TrialStatus.Running, 0.9)]);
        Assert.Null(stop!.Value.Failure);
        Assert.Contains("trial 1", stop.Value.Reason);
    }

    [Fact]
    public void Exhausted_ReachesTheTargetFromBelow_WhenMinimizing()
    {
        var spec = TestSpecs.Spec(metric: "valLoss", direction: "minimize", extraBudget: """, "targetValue": 0.2""");
        Assert.Null(BudgetRules.Exhausted(spec, [TestSpecs.Trial(0, TrialStatus.Completed, [0.3], "valLoss")]));
        Assert.NotNull(BudgetRules.Exhausted(spec, [TestSpecs.Trial(0, TrialStatus.Completed, [0.3, 0.19], "valLoss")]));
    }

    [Fact]
    public void Exhausted_Stops_WithoutFailing_OnceTheTimeLimitIsReached()
    {
        var spec = TestSpecs.Spec(extraBudget: """, "timeLimitSeconds": 60""");
        Assert.Null(BudgetRules.Exhausted(spec, [], TimeSpan.FromSeconds(59)));
        var stop = BudgetRules.Exhausted(spec, [], TimeSpan.FromSeconds(60));
        Assert.Null(stop!.Value.Failure);
        Assert.Contains("time limit", stop.Value.Reason);
        Assert.Null(BudgetRules.Exhausted(spec, [])); // without a clock reading there is no time limit
    }
}
