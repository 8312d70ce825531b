namespace HpSearch.Workers.Data;

/// <summary>A classification data set split into fixed, seeded train / validation / test parts.
/// Images are row-major float32 in [0,1], <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> per example.</summary>
public sealed class Dataset
{
    public required string Name { get; init; }
    public required int Classes { get; init; }
    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public int Features => Channels * Height * Width;

    public required float[] TrainX { get; init; }
    public required int[] TrainY { get; init; }
    public required float[] ValX { get; init; }
    public required int[] ValY { get; init; }
    public required float[] TestX { get; init; }
    public required int[] TestY { get; init; }

    public int TrainCount => TrainY.Length;
    public int ValCount => ValY.Length;
    public int TestCount => TestY.Length;
}
