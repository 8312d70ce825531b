namespace HpSearch.Engine.Layers;

/// <summary>Batch normalisation (Ioffe &amp; Szegedy 2015) over the last dimension: features of [N, F] (1d) or channels of
/// channels-last images [N, H, W, C] (2d, statistics per channel over N·H·W). Training uses batch statistics and
/// updates running ones (r ← (1−m)r + m·batch, unbiased variance, PyTorch's convention); evaluation uses the running ones.</summary>
public sealed class BatchNorm : ILayer
{
    private readonly float _momentum, _eps;
    private readonly float[] _runMean, _runVar;
    private float[] _mean = [], _invStd = [];
    private Tensor? _xhat, _y, _dx;
    private bool _training;

    public BatchNorm(int channels, float momentum = 0.1f, float eps = 1e-5f, string name = "batchnorm")
    {
        Channels = channels;
        _momentum = momentum;
        _eps = eps;
        Name = name;
        Gamma = new Parameter(name + ".gamma", [channels], decay: false);
        Beta = new Parameter(name + ".beta", [channels], decay: false);
        Array.Fill(Gamma.Value, 1f);
        _runMean = new float[channels];
        _runVar = new float[channels];
        Array.Fill(_runVar, 1f);
    }

    public string Name { get; }
    public int Channels { get; }
    public Parameter Gamma { get; }
    public Parameter Beta { get; }
    public ReadOnlySpan<float> RunningMean => _runMean;
    public ReadOnlySpan<float> RunningVariance => _runVar;

    public IReadOnlyList<Parameter> Parameters() => [Gamma, Beta];
    public IReadOnlyList<float[]> Buffers() => [_runMean, _runVar];

    public Tensor Forward(Tensor x, bool training)
    {
        int c = Channels, rows = x.Length / c;
        if (x.Shape[^1] != c) throw new ArgumentException($"{Name}: expected {c} channels in the last dimension.");
        _training = training;
        if (_mean.Length != c) { _mean = new float[c]; _invStd = new float[c]; }
        var xs = x.Data;
        if (training)
        {
            var sum = new double[c]; var sq = new double[c];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < c; j++) sum[j] += xs[r * c + j];
            for (int j = 0; j < c; j++) _mean[j] = (float)(sum[j] / rows);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < c; j++) { double d = xs[r * c + j] - _mean[j]; sq[j] += d * d; }
            for (int j = 0; j < c; j++)
            {
                double var = sq[j] / rows;
                _invStd[j] = (float)(1 / Math.Sqrt(var + _eps));
                double unbiased = rows > 1 ? sq[j] / (rows - 1) : var;
                _runMean[j] = (1 - _momentum) * _runMean[j] + _momentum * _mean[j];
                _runVar[j] = (float)((1 - _momentum) * _runVar[j] + _momentum * unbiased);
            }
        }
        else
        {
            for (int j = 0; j < c; j++) { _mean[j] = _runMean[j]; _invStd[j] = 1f / MathF.Sqrt(_runVar[j] + _eps); }
        }
        var xhat = Tensor.Reuse(ref _xhat, x.Shape);
        var y = Tensor.Reuse(ref _y, x.Shape);
        var g = Gamma.Value; var b = Beta.Value; var xh = xhat.Data; var ys = y.Data;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++)
            {
                int i = r * c + j;
                xh[i] = (xs[i] - _mean[j]) * _invStd[j];
                ys[i] = g[j] * xh[i] + b[j];
            }
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var xhat = _xhat ?? throw new InvalidOperationException("Backward before Forward.");
        int c = Channels, rows = xhat.Length / c;
        var dx = Tensor.Reuse(ref _dx, xhat.Shape);
        var dy = dOut.Data; var xh = xhat.Data; var d = dx.Data; var g = Gamma.Value;
        var sumDy = new double[c]; var sumDyXhat = new double[c];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++) { int i = r * c + j; sumDy[j] += dy[i]; sumDyXhat[j] += dy[i] * xh[i]; }
        for (int j = 0; j < c; j++) { Gamma.Grad[j] += (float)sumDyXhat[j]; Beta.Grad[j] += (float)sumDy[j]; }
        if (!_training)
        {
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < c; j++) d[r * c + j] = dy[r * c + j] * g[j] * _invStd[j];
            return dx;
        }
        // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂))
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++)
            {
                int i = r * c + j;
                d[i] = g[j] * _invStd[j] * (float)(dy[i] - sumDy[j] / rows - xh[i] * sumDyXhat[j] / rows);
            }
        return dx;
    }
}
