namespace HpSearch.Engine.Schedules;

public enum ScheduleKind { Constant, Step, Cosine }

/// <summary>Learning rate as a function of training progress: constant, step decay (×γ every N epochs), cosine annealing
/// to <see cref="MinLr"/> (Loshchilov &amp; Hutter 2017), each optionally preceded by a linear warm-up (Goyal et al. 2017).</summary>
public sealed record LearningRateSchedule(
    float BaseLr,
    ScheduleKind Kind = ScheduleKind.Constant,
    int TotalEpochs = 1,
    int StepEpochs = 10,
    float Gamma = 0.1f,
    float MinLr = 0f,
    double WarmupEpochs = 0)
{
    /// <summary>The rate at <paramref name="epoch"/> (0-based) plus the fraction of it done.</summary>
    public float At(int epoch, double fraction)
    {
        double t = epoch + fraction;
        if (WarmupEpochs > 0 && t < WarmupEpochs) return (float)(BaseLr * (t + 1e-9) / WarmupEpochs);
        return Kind switch
        {
            ScheduleKind.Step => BaseLr * MathF.Pow(Gamma, epoch / Math.Max(1, StepEpochs)),
            ScheduleKind.Cosine => (float)(MinLr + 0.5 * (BaseLr - MinLr) * (1 + Math.Cos(Math.PI * Math.Clamp((t - WarmupEpochs) / Math.Max(1e-9, TotalEpochs - WarmupEpochs), 0, 1)))),
            _ => BaseLr,
        };
    }
}
