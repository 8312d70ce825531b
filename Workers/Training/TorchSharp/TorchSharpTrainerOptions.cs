namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>Settings of the TorchSharp trainer on this worker.</summary>
public sealed class TorchSharpTrainerOptions
{
    /// <summary>libtorch's intra-op threads. libtorch has one setting per process, shared by every slot of the node.</summary>
    public int Threads { get; set; } = 1;
}
