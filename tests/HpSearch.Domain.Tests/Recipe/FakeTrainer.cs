using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Recipe;

public enum FakeModel
{
    /// <summary>Learns fastest near lr = 1e-2, diverges from lr = 0.1, overfits without weight decay.</summary>
    Healthy,
    /// <summary>Starts at loss 6 instead of ln 10: weights initialised too large.</summary>
    BadInit,
    /// <summary>The loss never moves (dead model).</summary>
    Flat,
    /// <summary>The loss is NaN from the first epoch at every rate.</summary>
    NaN,
    /// <summary>The loss falls a little but accuracy stays low even on a tiny subset (shuffled labels).</summary>
    ShuffledLabels,
}

/// <summary>Turns trial requests into finished trial records with plausible curves, a function of lr and weight decay.</summary>
public sealed class FakeTrainer(FakeModel model = FakeModel.Healthy)
{
    private static readonly double Chance = Math.Log(10);

    public TrialRecord Train(int number, TrialRequest r)
    {
        var o = r.Options ?? TrialOptions.Default;
        var lr = ParameterValue.AsDouble(r.Params["lr"]);
        var wd = o.RegularizationOff || !r.Params.TryGetValue("weightDecay", out var w) ? 0 : ParameterValue.AsDouble(w);
        var initial = model == FakeModel.BadInit ? 6.0 : Chance;
        var summary = o.MeasureInitialLoss ? new Dictionary<string, double> { ["initialLoss"] = initial } : null;
        if (model == FakeModel.NaN || lr >= 0.1)
        {
            var nan = new[] { Point(1, double.NaN, 0.1, double.NaN, 0.1, lr) };
            return new TrialRecord(number, TrialStatus.Diverged, r.Params, nan, r.Stage, r.Options, summary, r.MaxEpochs);
        }

        var epochs = new List<EpochPoint>();
        // As the built-in trainer does: params.epochs caps the request's epochs.
        var maxEpochs = r.Params.TryGetValue("epochs", out var cap) ? Math.Min(r.MaxEpochs, ParameterValue.AsInt(cap)) : r.MaxEpochs;
        if (o.MaxIterations is { } iterations)
        {
            // Learning-rate finder: one short epoch; the loss falls as exp(−3·lr·iterations).
            var loss = Progress(initial, lr, iterations);
            epochs.Add(Point(1, loss, 1 - loss / initial, loss, 1 - loss / initial, lr));
        }
        else if (o.SubsetPerClass is not null)
        {
            for (var e = 1; e <= maxEpochs; e++)
            {
                var loss = Progress(initial, lr, 5 * e);
                var acc = model == FakeModel.ShuffledLabels ? 0.3 : Math.Max(0.1, 1 - loss / initial);
                epochs.Add(Point(e, loss, acc, initial, 0.12, lr));
            }
        }
        else
        {
            var quality = Math.Exp(-Math.Pow(Math.Log10(lr) + 2, 2));
            var gap = 0.12 * (1 - Math.Min(1, wd / 1e-4));
            for (var e = 1; e <= maxEpochs; e++)
            {
                var val = 0.5 + 0.4 * quality * (1 - Math.Exp(-e / 2.0));
                var train = Math.Min(1, val + gap * (1 - Math.Exp(-e / 3.0)));
                epochs.Add(Point(e, 2.3 * (1 - train) + 0.05, train, 2.3 * (1 - val) + 0.05, val, lr));
            }
        }
        return new TrialRecord(number, TrialStatus.Completed, r.Params, epochs, r.Stage, r.Options, summary, r.MaxEpochs);
    }

    private double Progress(double initial, double lr, int iterations) => model switch
    {
        FakeModel.Flat => initial * 0.999,
        FakeModel.ShuffledLabels => initial * (0.6 + 0.4 * Math.Exp(-3 * lr * iterations)),
        _ => initial * Math.Exp(-3 * lr * iterations),
    };

    private static EpochPoint Point(int e, double trainLoss, double trainAcc, double valLoss, double valAcc, double lr) =>
        new(e, new Dictionary<string, double>
        {
            ["trainLoss"] = trainLoss, ["trainAccuracy"] = trainAcc, ["valLoss"] = valLoss, ["valAccuracy"] = valAcc, ["lr"] = lr, ["seconds"] = 1,
        });
}
