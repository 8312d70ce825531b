using TorchSharp;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>y = x + body(x) (He et al. 2016), the built-in engine's <c>Residual</c> as a TorchSharp module.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;

    public ResidualBlock(string name, nn.Module<Tensor, Tensor> body) : base(name)
    {
        this.body = body;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => input + body.forward(input);
}
