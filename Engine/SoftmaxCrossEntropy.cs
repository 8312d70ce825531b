namespace HpSearch.Engine;

/// <summary>Mean softmax cross-entropy over a batch, computed stably (log-sum-exp after subtracting each row's max).</summary>
public sealed class SoftmaxCrossEntropy
{
    private Tensor? _probs, _grad;
    private int[] _labels = [];

    /// <summary>Returns the mean loss and counts correct argmax predictions.</summary>
    public double Forward(Tensor logits, ReadOnlySpan<int> labels, out int correct)
    {
        int n = logits.Batch, c = logits.PerExample;
        if (labels.Length != n) throw new ArgumentException("One label per example is needed.");
        var p = Tensor.Reuse(ref _probs, n, c);
        if (_labels.Length != n) _labels = new int[n];
        labels.CopyTo(_labels);
        double loss = 0;
        correct = 0;
        for (int i = 0; i < n; i++)
        {
            var z = logits.Data.AsSpan(i * c, c);
            var pi = p.Data.AsSpan(i * c, c);
            float max = z[0]; int arg = 0;
            for (int j = 1; j < c; j++) if (z[j] > max) { max = z[j]; arg = j; }
            double sum = 0;
            for (int j = 0; j < c; j++) { float e = MathF.Exp(z[j] - max); pi[j] = e; sum += e; }
            float inv = (float)(1 / sum);
            for (int j = 0; j < c; j++) pi[j] *= inv;
            int y = labels[i];
            if ((uint)y >= (uint)c) throw new ArgumentException($"Label {y} is outside 0..{c - 1}.");
            loss += Math.Log(sum) - (z[y] - max);
            if (arg == y) correct++;
        }
        return loss / n;
    }

    /// <summary>∂loss/∂logits = (softmax − one-hot) / N.</summary>
    public Tensor Backward()
    {
        var p = _probs ?? throw new InvalidOperationException("Backward before Forward.");
        int n = p.Batch, c = p.PerExample;
        var g = Tensor.Reuse(ref _grad, n, c);
        float inv = 1f / n;
        for (int i = 0; i < p.Length; i++) g.Data[i] = p.Data[i] * inv;
        for (int i = 0; i < n; i++) g.Data[i * c + _labels[i]] -= inv;
        return g;
    }
}
