using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>A built-in trial's peak memory, estimated from its parameters before it runs: weights and gradients, optimizer
/// state, activations and their gradients at the batch size (conv im2col buffers included), and the data set. Checked
/// arithmetic: a size past <see cref="long"/> throws <see cref="OverflowException"/>, which the submit check counts as too big.</summary>
internal static class BuiltinFootprint
{
    /// <summary>Activation-sized buffers kept per layer output (output, activation, dropout mask, BatchNorm cache, gradients).</summary>
    private const long BuffersPerActivation = 6;

    public static long? Bytes(IReadOnlyDictionary<string, object> parameters, DatasetShape data)
    {
        BuiltinConfig cfg;
        try
        {
            cfg = BuiltinConfig.Parse(parameters, TrialOptions.Default);
        }
        catch (ArgumentException)
        {
            return null; // refused by the schema already, with the field named
        }
        checked
        {
            long batch = cfg.BatchSize, weights = 0, activations = 0, scratch = 0;
            long features = data.Features;
            if (cfg.Model == "cnn")
            {
                long c = data.Channels, h = data.Height, w = data.Width, k = cfg.ConvKernel, pad = cfg.ConvPadding ?? k / 2;
                foreach (var co in cfg.ConvChannels)
                {
                    h = Math.Max(1, (h + 2 * pad - k) / cfg.ConvStride + 1);
                    w = Math.Max(1, (w + 2 * pad - k) / cfg.ConvStride + 1);
                    weights += k * k * c * co + co;
                    scratch = Math.Max(scratch, batch * h * w * k * k * c);
                    activations += batch * h * w * co;
                    if (cfg.Residual)
                    {
                        weights += 2 * (9 * co * co + co);
                        scratch = Math.Max(scratch, batch * h * w * 9 * co);
                        activations += 3 * batch * h * w * co;
                    }
                    c = co;
                    if (cfg.Pool && h >= 2 && w >= 2) { h /= 2; w /= 2; activations += batch * h * w * c; }
                }
                features = h * w * c;
            }
            long prev = features;
            foreach (var width in cfg.Hidden)
            {
                weights += prev * width + width;
                activations += batch * width;
                prev = width;
            }
            weights += prev * data.Classes + data.Classes;
            activations += batch * (data.Features + data.Classes);
            long optimizerCopies = cfg.Optimizer switch { "sgd" => 0, "adam" or "adamw" => 2, _ => 1 };
            long floats = weights * (2 + optimizerCopies) + activations * BuffersPerActivation + scratch * 2
                          + data.Examples * data.Features + weights; // + one checkpoint copy of the weights
            return floats * sizeof(float);
        }
    }
}
