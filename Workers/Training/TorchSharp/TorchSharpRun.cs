using System.Diagnostics;
using HpSearch.Engine.Schedules;
using ActivationStatistics = HpSearch.Engine.ActivationStatistics;
using ImageAugmentation = HpSearch.Engine.ImageAugmentation;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training.Builtin;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TorchTensor = TorchSharp.torch.Tensor;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>One trial's training run on TorchSharp: the built-in run's loop (same batches, schedule, augmentation,
/// metrics and best-epoch checkpoint) with libtorch doing the arithmetic on <see cref="Device"/>.</summary>
internal sealed class TorchSharpRun : IDisposable
{
    private const int ProbeExamples = 256;

    private readonly BuiltinConfig _cfg;
    private readonly Dataset _data;
    private readonly TrainRequest _request;
    private readonly Random _shuffle;
    private readonly Generator _initGenerator;
    private readonly Generator _dropoutGenerator;
    private readonly optim.Optimizer _optimizer;
    private readonly Parameter[] _parameters;
    private readonly long _parameterCount;
    private readonly Parameter[] _decayed;
    private readonly double _lossDecay;
    private readonly ImageAugmentation? _augment;
    private readonly int[] _trainIndices;
    private readonly int _epochs;

    public TorchSharpRun(BuiltinConfig cfg, CustomModel? custom, Dataset data, TrainRequest request, Device device)
    {
        _cfg = cfg;
        _data = data;
        _request = request;
        Device = device;
        _initGenerator = new Generator((ulong)request.Seed);
        _dropoutGenerator = new Generator(unchecked((ulong)request.Seed * 31 + 11), device);
        Network = custom is null
            ? TorchSharpNetwork.Build(cfg, data.Channels, data.Height, data.Width, data.Classes, _initGenerator, _dropoutGenerator)
            : TorchSharpNetwork.Custom(custom, request.Params, data.Channels, data.Height, data.Width, data.Classes, request.Seed);
        Network.Module.to(device);
        _parameters = Network.Module.parameters().ToArray();
        _parameterCount = _parameters.Where(p => p.requires_grad).Sum(p => p.numel());
        _decayed = _parameters.Where(p => TorchSharpOptimizer.Decays(cfg, p)).ToArray();
        _optimizer = TorchSharpOptimizer.Create(cfg, _parameters, out _lossDecay);
        _shuffle = new Random(unchecked(request.Seed * 31 + 7));
        if (cfg.Augments)
        {
            if (data.Height < 2) throw new ArgumentException("Image augmentation needs an image data set.");
            _augment = new ImageAugmentation(cfg.AugFlip, cfg.AugShift, cfg.AugRotate, cfg.AugErase, new Random(unchecked(request.Seed * 17 + 3)));
        }
        _trainIndices = TrainIndices(data, request.Options.SubsetPerClass);
        _epochs = Math.Max(1, Math.Min(cfg.Epochs ?? request.MaxEpochs, request.MaxEpochs));
    }

    public TorchSharpNetwork Network { get; }
    public Device Device { get; }
    public optim.Optimizer Optimizer => _optimizer;

    private int EvalBatch => Math.Max(1, _cfg.BatchSize);

    private LearningRateSchedule Schedule => new(_cfg.Lr,
        _cfg.Schedule switch { "step" => ScheduleKind.Step, "cosine" => ScheduleKind.Cosine, _ => ScheduleKind.Constant },
        _epochs, _cfg.StepEpochs, _cfg.Gamma, _cfg.MinLr, _cfg.WarmupEpochs);

    public async Task<TrainOutcome> RunAsync(ITrainingObserver observer, CancellationToken ct)
    {
        var options = _request.Options;
        var schedule = Schedule;
        if (options.MeasureInitialLoss)
        {
            var (initial, _) = Evaluate(_data.TrainX, _data.TrainY, _trainIndices.Take(2000).ToArray(), ct);
            await observer.OnSummaryAsync("initialLoss", initial, ct).ConfigureAwait(false);
        }
        byte[]? best = null; int bestEpoch = 0; double bestAcc = double.NegativeInfinity;
        long iterations = 0;
        int bs = Math.Min(_cfg.BatchSize, _trainIndices.Length);
        int batches = (_trainIndices.Length + bs - 1) / bs;
        for (int epoch = 0; epoch < _epochs; epoch++)
        {
            var wall = Stopwatch.StartNew();
            var order = (int[])_trainIndices.Clone();
            _shuffle.Shuffle(order);
            double lossSum = 0, normSum = 0; long correct = 0, seen = 0; int done = 0;
            float lr = schedule.At(epoch, 0);
            bool diverged = false, limitReached = false;
            Network.Module.train();
            for (int b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                int start = b * bs, n = Math.Min(bs, order.Length - start);
                using var scope = NewDisposeScope();
                var (x, y) = Batch(_data.TrainX, _data.TrainY, order.AsSpan(start, n), training: true);
                _optimizer.zero_grad();
                var logits = Network.Module.forward(x);
                var loss = nn.functional.cross_entropy(logits, y);
                if (_lossDecay > 0) loss = loss + 0.5 * _lossDecay * _decayed.Select(p => p.square().sum()).Aggregate((a, c) => a + c);
                double lossValue = loss.item<float>();
                if (!double.IsFinite(lossValue)) { diverged = true; break; }
                loss.backward();
                double norm = _cfg.ClipNorm > 0 ? nn.utils.clip_grad_norm_(_parameters, _cfg.ClipNorm) : GlobalNorm();
                lr = schedule.At(epoch, (double)b / batches);
                foreach (var g in _optimizer.ParamGroups) g.LearningRate = lr;
                _optimizer.step();
                if (_cfg.MaxNorm > 0) ApplyMaxNorm(_cfg.MaxNorm);
                long ok = logits.argmax(1).eq(y).sum().item<long>();
                lossSum += lossValue * n; normSum += norm; correct += ok; seen += n; done++;
                if (options.MaxIterations is { } max && ++iterations >= max) { limitReached = true; break; }
            }
            var metrics = EpochMetrics.OfTraining(lr, wall.Elapsed.TotalSeconds, iterations, _parameterCount, lossSum, correct, normSum, seen, done);
            if (diverged)
            {
                metrics["seconds"] = wall.Elapsed.TotalSeconds;
                await observer.OnEpochAsync(new EpochReport(epoch + 1, metrics, null), ct).ConfigureAwait(false);
                return new TrainOutcome(TrainStatus.Diverged, $"Loss became NaN or infinite in epoch {epoch + 1}.", best, best is null ? null : bestEpoch);
            }
            if (options.SubsetPerClass is not null)
                metrics["trainAccuracy"] = Evaluate(_data.TrainX, _data.TrainY, _trainIndices, ct).Accuracy;
            var (valLoss, valAcc) = Evaluate(_data.ValX, _data.ValY, null, ct);
            metrics["valLoss"] = valLoss;
            metrics["valAccuracy"] = valAcc;
            var stats = LayerStatistics();
            metrics["seconds"] = wall.Elapsed.TotalSeconds;
            if (valAcc > bestAcc || best is null)
            {
                bestAcc = valAcc; bestEpoch = epoch + 1; best = Network.SaveCheckpoint();
            }
            bool goOn = await observer.OnEpochAsync(new EpochReport(epoch + 1, metrics, stats), ct).ConfigureAwait(false);
            if (!goOn) return new TrainOutcome(TrainStatus.Stopped, null, best, bestEpoch);
            if (limitReached) break;
        }
        return new TrainOutcome(TrainStatus.Completed, null, best, bestEpoch);
    }

    /// <summary>Mean loss and accuracy in evaluation mode over the given examples (all when <paramref name="indices"/> is null).</summary>
    public (double Loss, double Accuracy) Evaluate(float[] xs, int[] ys, int[]? indices, CancellationToken ct)
    {
        int count = indices?.Length ?? ys.Length;
        if (count == 0) return (double.NaN, 0);
        double loss = 0; long correct = 0;
        var all = indices ?? Enumerable.Range(0, count).ToArray();
        Network.Module.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < count; start += EvalBatch)
        {
            ct.ThrowIfCancellationRequested();
            int n = Math.Min(EvalBatch, count - start);
            using var scope = NewDisposeScope();
            var (x, y) = Batch(xs, ys, all.AsSpan(start, n), training: false);
            var logits = Network.Module.forward(x);
            loss += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        return (loss / count, (double)correct / count);
    }

    /// <summary>The loss on one fixed batch in training mode (dropout on), without a step: what a parameter changes.</summary>
    public double TrainingLossOn(int[] indices)
    {
        Network.Module.train();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (x, y) = Batch(_data.TrainX, _data.TrainY, indices, training: false);
        return nn.functional.cross_entropy(Network.Module.forward(x), y).item<float>();
    }

    private List<LayerStats> LayerStatistics()
    {
        int n = Math.Min(Math.Min(ProbeExamples, EvalBatch), _data.ValCount);
        if (n == 0) return [];
        var recorded = new List<ActivationStatistics>();
        foreach (var a in Network.Activations) a.Recording = recorded;
        try
        {
            Network.Module.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (x, _) = Batch(_data.ValX, _data.ValY, Enumerable.Range(0, n).ToArray(), training: false);
            Network.Module.forward(x);
        }
        finally
        {
            foreach (var a in Network.Activations) a.Recording = null;
        }
        return recorded.Select(s => new LayerStats(s.Layer, s.Mean, s.Std, s.DeadFraction, s.SaturatedFraction)).ToList();
    }

    private double GlobalNorm()
    {
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach (var p in _parameters)
            if (p.grad is { } g) sum += g.square().sum().item<float>();
        return Math.Sqrt(sum);
    }

    /// <summary>Rescales each unit's incoming weights (a row of [out, in], an output channel of a conv) to norm ≤ c.</summary>
    private void ApplyMaxNorm(double c)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var p in _decayed.Where(p => p.dim() >= 2))
        {
            var rows = p.view(p.shape[0], -1);
            var scale = (c / rows.norm(1, keepdim: true).clamp_min(1e-12)).clamp_max(1);
            rows.mul_(scale);
        }
    }

    private (TorchTensor X, TorchTensor Y) Batch(float[] xs, int[] ys, ReadOnlySpan<int> indices, bool training)
    {
        int n = indices.Length, f = _data.Features, c = _data.Channels, h = _data.Height, w = _data.Width, hw = h * w;
        var bx = new float[n * f];
        var by = new long[n];
        for (int i = 0; i < n; i++)
        {
            xs.AsSpan(indices[i] * f, f).CopyTo(bx.AsSpan(i * f, f));
            by[i] = ys[indices[i]];
        }
        if (training && _augment is not null)
        {
            // The augmentation works on channels-last images; the data set and TorchSharp are channels-first.
            if (c == 1) _augment.Apply(bx, n, h, w, 1);
            else
            {
                var hwc = new float[bx.Length];
                for (int i = 0; i < n; i++) for (int ch = 0; ch < c; ch++) for (int p = 0; p < hw; p++) hwc[i * f + p * c + ch] = bx[i * f + ch * hw + p];
                _augment.Apply(hwc, n, h, w, c);
                for (int i = 0; i < n; i++) for (int ch = 0; ch < c; ch++) for (int p = 0; p < hw; p++) bx[i * f + ch * hw + p] = hwc[i * f + p * c + ch];
            }
        }
        long[] shape = Network.ImageInput ? [n, c, h, w] : [n, f];
        return (tensor(bx, shape, device: Device), tensor(by, device: Device));
    }

    private static int[] TrainIndices(Dataset data, int? perClass)
    {
        if (perClass is not { } k) return Enumerable.Range(0, data.TrainCount).ToArray();
        if (k < 1) throw new ArgumentException("SubsetPerClass must be ≥ 1.");
        var taken = new int[data.Classes];
        var list = new List<int>();
        for (int i = 0; i < data.TrainCount; i++)
            if (taken[data.TrainY[i]] < k) { taken[data.TrainY[i]]++; list.Add(i); }
        return list.ToArray();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Module.Dispose();
        _initGenerator.Dispose();
        _dropoutGenerator.Dispose();
    }
}
