using HpSearch.Domain.Diagnosis;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>Stage 6: read the smoothed curves of the finalists (the best refine trials) with <see cref="CurveDiagnosis"/>.</summary>
internal static class CurvesStage
{
    public const string Name = "curves";

    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> refined)
    {
        var finalists = CoarseStage.Top(c.Objective, refined, c.Options.RefineTopK);
        var reports = finalists.Select(t => (Trial: t, Report: CurveDiagnosis.Diagnose(t.Epochs, c.Objective, c.Options.SmoothingWindow, c.Options.OverfitGap))).ToList();
        var (best, report) = reports[0];
        var value = best.BestValue(c.Objective)!.Value;
        var fit = report.Fit switch
        {
            FitKind.GoodFit => "a good fit",
            FitKind.Overfitting => "overfitting",
            FitKind.Underfitting => "underfitting",
            _ => "unclear",
        };
        var diagnosis = string.Join(" ", reports.Select(r => $"trial {r.Trial.Number}: {r.Report.Fit} — {r.Report.Diagnosis}"));
        return new StageResult(6, Name, StageStatus.Passed,
            $"best trial {best.Number} ({c.Objective.Metric} {RecipeContext.Fmt(value)}) is {fit}: {report.Advice}", diagnosis,
            new Dictionary<string, double>
            {
                ["bestTrial"] = best.Number,
                ["bestValue"] = value,
                ["gap"] = report.Gap,
                ["finalTrainLoss"] = report.FinalTrainLoss,
            });
    }
}
