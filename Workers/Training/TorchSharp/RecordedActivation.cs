using ActivationKind = HpSearch.Engine.Layers.ActivationKind;
using ActivationStatistics = HpSearch.Engine.ActivationStatistics;
using TorchSharp;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>An activation function that, while <see cref="Recording"/>, keeps per-layer statistics of its output
/// (the same definitions as the built-in engine's <see cref="ActivationStatistics"/>).</summary>
internal sealed class RecordedActivation : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> function;

    public RecordedActivation(string name, ActivationKind kind, nn.Module<Tensor, Tensor> function) : base(name)
    {
        LayerName = name;
        Kind = kind;
        this.function = function;
        RegisterComponents();
    }

    public string LayerName { get; }

    public ActivationKind Kind { get; }

    /// <summary>Where statistics go during a probe forward pass; null otherwise.</summary>
    public List<ActivationStatistics>? Recording { get; set; }

    public override Tensor forward(Tensor input)
    {
        var output = function.forward(input);
        if (Recording is not null)
        {
            using var cpuOutput = output.detach().cpu().to_type(ScalarType.Float32);
            int n = (int)cpuOutput.shape[0];
            var data = cpuOutput.data<float>().ToArray();
            Recording.Add(ActivationStatistics.Of(LayerName, Kind, new HpSearch.Engine.Tensor(data, n, data.Length / Math.Max(1, n))));
        }
        return output;
    }
}
