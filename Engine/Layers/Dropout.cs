using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Layers;

/// <summary>Inverted dropout (Srivastava et al. 2014): in training each unit is kept with probability 1−p and
/// scaled by 1/(1−p); in evaluation it is the identity.</summary>
public sealed class Dropout : ILayer
{
    private readonly VectorRandom _random;
    private float[] _mask = [];
    private Tensor? _y, _dx;
    private bool _lastTraining;

    public Dropout(float p, Random random, string name = "dropout")
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), "Dropout probability must be in [0, 1).");
        P = p;
        _random = new VectorRandom(random);
        Name = name;
    }

    public string Name { get; }
    public float P { get; }

    /// <summary>When true, training passes reuse the last mask (for gradient checks).</summary>
    public bool FreezeMask { get; set; }

    public Tensor Forward(Tensor x, bool training)
    {
        _lastTraining = training && P > 0;
        if (!_lastTraining) return x;
        var y = Tensor.Reuse(ref _y, x.Shape);
        if (!FreezeMask || _mask.Length != x.Length)
        {
            if (_mask.Length != x.Length) _mask = new float[x.Length];
            NewMask();
        }
        Multiply(x.Data, _mask, y.Data);
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        if (!_lastTraining) return dOut;
        var dx = Tensor.Reuse(ref _dx, dOut.Shape);
        Multiply(dOut.Data, _mask, dx.Data);
        return dx;
    }

    /// <summary>Each unit kept (1/(1−p)) when its 32-bit draw is at or above p·2³², else dropped (0).</summary>
    private void NewMask()
    {
        var threshold = new Vector<uint>((uint)Math.Min(uint.MaxValue, Math.Round(P * 4294967296.0)));
        var scale = new Vector<float>(1f / (1f - P));
        var mv = MemoryMarshal.Cast<float, Vector<float>>(_mask.AsSpan());
        for (int i = 0; i < mv.Length; i++)
            mv[i] = Vector.ConditionalSelect(Vector.AsVectorSingle(Vector.GreaterThanOrEqual(_random.Next(), threshold)), scale, Vector<float>.Zero);
        int tail = mv.Length * Vector<float>.Count;
        if (tail < _mask.Length)
        {
            var draws = _random.Next();
            for (int i = tail; i < _mask.Length; i++) _mask[i] = draws[i - tail] >= threshold[0] ? scale[0] : 0f;
        }
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(b);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (int i = 0; i < av.Length; i++) yv[i] = av[i] * bv[i];
        for (int i = av.Length * Vector<float>.Count; i < a.Length; i++) y[i] = a[i] * b[i];
    }
}
