namespace HpSearch.Workers.Engine.Layers;

/// <summary>Inverted dropout (Srivastava et al. 2014): in training each unit is kept with probability 1−p and
/// scaled by 1/(1−p); in evaluation it is the identity.</summary>
public sealed class Dropout : ILayer
{
    private readonly FastRandom _random;
    private float[] _mask = [];
    private Tensor? _y, _dx;
    private bool _lastTraining;

    public Dropout(float p, Random random, string name = "dropout")
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), "Dropout probability must be in [0, 1).");
        P = p;
        _random = new FastRandom(random);
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
            float scale = 1f / (1f - P);
            for (int i = 0; i < _mask.Length; i++) _mask[i] = _random.NextFloat() >= P ? scale : 0f;
        }
        var xs = x.Data; var ys = y.Data;
        for (int i = 0; i < xs.Length; i++) ys[i] = xs[i] * _mask[i];
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        if (!_lastTraining) return dOut;
        var dx = Tensor.Reuse(ref _dx, dOut.Shape);
        var g = dOut.Data; var d = dx.Data;
        for (int i = 0; i < g.Length; i++) d[i] = g[i] * _mask[i];
        return dx;
    }
}
