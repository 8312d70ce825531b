using TorchSharp;
using static TorchSharp.torch;

namespace HpSearch.SampleModels;

/// <summary>conv3×3(filters) → ReLU → global average pool → dropout → linear: a custom model with two searchable
/// constructor parameters (filters, dropout) and the data set's shape filled in by the trainer.</summary>
public sealed class TinyConvNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly nn.Module<Tensor, Tensor> head;
    private readonly double dropout;

    public TinyConvNet(int channels, int classes, int filters = 8, double dropout = 0.0) : base(nameof(TinyConvNet))
    {
        conv = nn.Conv2d(channels, filters, 3, padding: 1);
        head = nn.Linear(filters, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(conv.forward(input)).mean([2, 3]);
        if (dropout > 0) x = nn.functional.dropout(x, dropout, training);
        return head.forward(x).MoveToOuterDisposeScope();
    }
}
