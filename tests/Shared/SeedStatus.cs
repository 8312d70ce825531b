using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;

namespace HpSearch.Testing;

/// <summary>Seeds rows in a given status the way the jobs would reach it: along the Lifecycle's legal moves (queued → running →
/// outcome), so seeding cannot produce a state the service never could.</summary>
public static class SeedStatus
{
    public static Trial At(this Trial trial, TrialStatus status)
    {
        if (status == trial.Status) return trial;
        if (trial.Status == TrialStatus.Queued) trial.MoveTo(TrialStatus.Running);
        if (status != TrialStatus.Running) trial.MoveTo(status);
        return trial;
    }

    public static Experiment At(this Experiment experiment, ExperimentStatus status)
    {
        if (status == experiment.Status) return experiment;
        if (experiment.Status == ExperimentStatus.Queued) experiment.MoveTo(ExperimentStatus.Running);
        if (status != ExperimentStatus.Running) experiment.MoveTo(status);
        return experiment;
    }
}
