using InitKind = HpSearch.Engine.InitKind;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>The spec's initialisations (Glorot &amp; Bengio 2010, He et al. 2015, Saxe et al. 2014) on a TorchSharp weight,
/// drawn from the run's own generator (<c>torch.nn.init</c>'s Xavier, Kaiming and orthogonal use the process-wide one).
/// Fan-in of a Linear weight [out, in] is in; of a Conv2d weight [co, ci, k, k] it is ci·k·k.</summary>
internal static class WeightInit
{
    public static void Fill(Tensor weight, InitKind kind, double std, double gain, Generator generator)
    {
        long outputs = weight.shape[0], inputs = weight.shape[1], receptive = weight.numel() / (outputs * inputs);
        long fanIn = inputs * receptive, fanOut = outputs * receptive;
        using var _ = no_grad();
        switch (kind)
        {
            case InitKind.Zeros: weight.zero_(); break;
            case InitKind.Normal: weight.normal_(0, std * gain, generator); break;
            case InitKind.XavierUniform: Uniform(weight, gain * Math.Sqrt(6.0 / (fanIn + fanOut)), generator); break;
            case InitKind.XavierNormal: weight.normal_(0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator); break;
            case InitKind.HeUniform: Uniform(weight, gain * Math.Sqrt(6.0 / fanIn), generator); break;
            case InitKind.HeNormal: weight.normal_(0, gain * Math.Sqrt(2.0 / fanIn), generator); break;
            case InitKind.Orthogonal: Orthogonal(weight, gain, generator); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void Uniform(Tensor weight, double limit, Generator generator) => weight.uniform_(-limit, limit, generator);

    /// <summary>Q of the QR decomposition of a Gaussian matrix, signs fixed by R's diagonal, on the smaller side.</summary>
    private static void Orthogonal(Tensor weight, double gain, Generator generator)
    {
        long rows = weight.shape[0], cols = weight.numel() / rows;
        using var scope = NewDisposeScope();
        var flat = randn([rows, cols], dtype: weight.dtype, generator: generator);
        if (rows < cols) flat = flat.t();
        var (q, r) = linalg.qr(flat);
        q = q * r.diagonal().sign();
        if (rows < cols) q = q.t();
        weight.copy_(q.reshape(weight.shape) * gain);
    }
}
