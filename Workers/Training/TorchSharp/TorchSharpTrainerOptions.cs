namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>Settings of the TorchSharp trainer on this worker.</summary>
public sealed class TorchSharpTrainerOptions
{
    public const string Section = "Trainers:TorchSharp";

    /// <summary>Folder of operator-provided assemblies with TorchSharp modules that experiments can name in <c>model</c>
    /// (<see cref="CustomModelCatalog"/>); the same on the API node and every worker node. None when unset.</summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>libtorch's intra-op threads. libtorch has one setting per process, shared by every slot of the node.</summary>
    public int Threads { get; set; } = 1;
}
