using TorchSharp;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>Inverted dropout (Srivastava et al. 2014) drawing its masks from the run's own generator: libtorch's
/// <c>dropout</c> uses the process-wide generator, which concurrent trials in one worker would share and reorder.</summary>
internal sealed class SeededDropout(string name, double p, Generator generator) : nn.Module<Tensor, Tensor>(name)
{
    public double P { get; } = p;

    public override Tensor forward(Tensor input)
    {
        // A fresh handle, never the input itself: Sequential disposes each layer's input once the next layer has it.
        if (!training || P <= 0) return input.alias();
        using var keep = rand(input.shape, dtype: input.dtype, device: input.device, generator: generator).ge_(P);
        return input * keep / (1 - P);
    }
}
