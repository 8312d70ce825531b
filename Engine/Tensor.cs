namespace HpSearch.Engine;

/// <summary>A dense float32 array with a shape: [N, F] for vectors, [N, H, W, C] (channels last) for images.</summary>
public sealed class Tensor
{
    public Tensor(params int[] shape) : this(new float[Count(shape)], shape) { }

    public Tensor(float[] data, params int[] shape)
    {
        if (data.Length != Count(shape)) throw new ArgumentException($"Data length {data.Length} does not match shape [{string.Join(",", shape)}].");
        Data = data;
        Shape = shape;
    }

    public float[] Data { get; }
    public int[] Shape { get; }
    public int Length => Data.Length;
    /// <summary>The first dimension: examples in the batch.</summary>
    public int Batch => Shape[0];
    /// <summary>Elements per example.</summary>
    public int PerExample => Data.Length / Math.Max(1, Shape[0]);

    public Span<float> Span => Data;

    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(Shape);

    /// <summary>Reuses <paramref name="buffer"/> when it already has this shape (hot loops allocate nothing).</summary>
    public static Tensor Reuse(ref Tensor? buffer, params int[] shape)
    {
        if (buffer is null || !buffer.HasShape(shape)) buffer = new Tensor(shape);
        return buffer;
    }

    /// <summary>A view with another shape over the same data.</summary>
    public Tensor Reshape(params int[] shape) => new(Data, shape);

    /// <summary>Elements of a shape; throws <see cref="OverflowException"/> past int's range (an array could not hold them)
    /// and <see cref="ArgumentOutOfRangeException"/> on a negative dimension, never a wrapped count.</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            n = checked(n * d);
        }
        return n;
    }
}
