using System.Diagnostics;
using HpSearch.Workers.Data;
using HpSearch.Engine;
using HpSearch.Engine.Layers;
using HpSearch.Engine.Optimizers;
using HpSearch.Engine.Schedules;
using HpSearch.Workers.Training;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>One trial's training run: model, optimizer, schedule, batches, evaluation and reporting.</summary>
internal sealed class BuiltinRun
{
    private const int ProbeExamples = 256;
    private const long LargeEpochAllocation = 64L << 20;

    private readonly BuiltinConfig _cfg;
    private readonly Dataset _data;
    private readonly TrainRequest _request;
    private readonly Random _shuffle;
    private readonly SoftmaxCrossEntropy _loss = new();
    private readonly IOptimizer _optimizer;
    private readonly WeightDecay _lossDecay;
    private readonly ImageAugmentation? _augment;
    private readonly int[] _trainIndices;
    private readonly int _epochs;
    private readonly long _parameterCount;
    private float[] _batchX = [];
    private int[] _batchY = [];

    public BuiltinRun(BuiltinConfig cfg, Dataset data, TrainRequest request, Compute compute)
    {
        _cfg = cfg;
        _data = data;
        _request = request;
        var random = new Random(request.Seed);
        Model = BuiltinModel.Build(cfg, data.Channels, data.Height, data.Width, data.Classes, random, compute);
        _shuffle = new Random(unchecked(request.Seed * 31 + 7));
        var decay = new WeightDecay(cfg.WeightDecay, cfg.DecayAll);
        bool inOptimizer = cfg.WeightDecayMode == "optimizer" || cfg.Optimizer == "adamw";
        _lossDecay = inOptimizer ? WeightDecay.None : decay;
        var optDecay = inOptimizer ? decay : WeightDecay.None;
        _optimizer = cfg.Optimizer switch
        {
            "sgd" => new Sgd(optDecay) { Compute = compute },
            "momentum" => new Momentum(cfg.Momentum, optDecay) { Compute = compute },
            "nesterov" => new Nesterov(cfg.Momentum, optDecay) { Compute = compute },
            "adagrad" => new AdaGrad(decay: optDecay) { Compute = compute },
            "rmsprop" => new RmsProp(cfg.RmspropAlpha, cfg.Eps, optDecay) { Compute = compute },
            "adamw" => new Adam(cfg.Beta1, cfg.Beta2, cfg.Eps, optDecay, decoupled: true) { Compute = compute },
            _ => new Adam(cfg.Beta1, cfg.Beta2, cfg.Eps, optDecay) { Compute = compute },
        };
        if (cfg.Augments)
        {
            if (data.Height < 2) throw new ArgumentException("Image augmentation needs an image data set.");
            _augment = new ImageAugmentation(cfg.AugFlip, cfg.AugShift, cfg.AugRotate, cfg.AugErase, new Random(unchecked(request.Seed * 17 + 3)));
        }
        _trainIndices = TrainIndices(data, request.Options.SubsetPerClass);
        _parameterCount = Model.Parameters.Sum(p => (long)p.Length);
        _epochs = Math.Max(1, Math.Min(cfg.Epochs ?? request.MaxEpochs, request.MaxEpochs));
    }

    public BuiltinModel Model { get; }

    /// <summary>Evaluation uses the training batch size: the layers' buffers are reused, and memory stays at training's level.</summary>
    private int EvalBatch => Math.Max(1, _cfg.BatchSize);

    public LearningRateSchedule Schedule => new(_cfg.Lr,
        _cfg.Schedule switch { "step" => ScheduleKind.Step, "cosine" => ScheduleKind.Cosine, _ => ScheduleKind.Constant },
        _epochs, _cfg.StepEpochs, _cfg.Gamma, _cfg.MinLr, _cfg.WarmupEpochs);

    public async Task<TrainOutcome> RunAsync(ITrainingObserver observer, CancellationToken ct)
    {
        var options = _request.Options;
        var schedule = Schedule;
        if (options.MeasureInitialLoss)
        {
            var probe = _trainIndices.Take(2000).ToArray();
            var (initial, _) = Evaluate(_data.TrainX, _data.TrainY, probe, ct);
            await observer.OnSummaryAsync("initialLoss", initial, ct).ConfigureAwait(false);
        }
        byte[]? best = null; int bestEpoch = 0; double bestAcc = double.NegativeInfinity;
        long iterations = 0;
        int bs = Math.Min(_cfg.BatchSize, _trainIndices.Length);
        int batches = (_trainIndices.Length + bs - 1) / bs;
        var parameters = Model.Parameters;
        for (int epoch = 0; epoch < _epochs; epoch++)
        {
            var wall = Stopwatch.StartNew();
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            var order = (int[])_trainIndices.Clone();
            _shuffle.Shuffle(order);
            double lossSum = 0, normSum = 0; long correct = 0, seen = 0; int done = 0;
            float lr = schedule.At(epoch, 0);
            bool diverged = false, limitReached = false;
            for (int b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                int start = b * bs, n = Math.Min(bs, order.Length - start);
                var x = Batch(_data.TrainX, _data.TrainY, order.AsSpan(start, n), training: true);
                foreach (var p in parameters) Array.Clear(p.Grad);
                var logits = Model.Network.Forward(x, training: true);
                double loss = _loss.Forward(logits, _batchY.AsSpan(0, n), out int ok);
                if (_lossDecay.Lambda > 0) loss += _lossDecay.Penalty(parameters);
                if (!double.IsFinite(loss)) { diverged = true; break; }
                Model.Network.Backward(_loss.Backward());
                if (_lossDecay.Lambda > 0) foreach (var p in parameters) _lossDecay.AddToGradient(p);
                double norm = _cfg.ClipNorm > 0 ? Constraints.ClipGradients(parameters.ToArray(), _cfg.ClipNorm) : Constraints.GlobalNorm(parameters);
                lr = schedule.At(epoch, (double)b / batches);
                _optimizer.Step(parameters, lr);
                if (_cfg.MaxNorm > 0) Constraints.ApplyMaxNorm(parameters, _cfg.MaxNorm);
                lossSum += loss * n; normSum += norm; correct += ok; seen += n; done++;
                if (options.MaxIterations is { } max && ++iterations >= max) { limitReached = true; break; }
            }
            double trainSeconds = wall.Elapsed.TotalSeconds;
            var metrics = EpochMetrics.OfTraining(lr, trainSeconds, iterations, _parameterCount, lossSum, correct, normSum, seen, done);
            if (diverged)
            {
                metrics["seconds"] = wall.Elapsed.TotalSeconds;
                await observer.OnEpochAsync(new EpochReport(epoch + 1, metrics, null), ct).ConfigureAwait(false);
                return new TrainOutcome(TrainStatus.Diverged, $"Loss became NaN or infinite in epoch {epoch + 1}.", best, best is null ? null : bestEpoch);
            }
            if (options.SubsetPerClass is not null)
                metrics["trainAccuracy"] = Evaluate(_data.TrainX, _data.TrainY, _trainIndices, ct).Accuracy;
            var (valLoss, valAcc) = Evaluate(_data.ValX, _data.ValY, null, ct);
            // The epoch's short last batch left a second, smaller set of layer buffers, replaced during evaluation: when they are
            // large (a CNN's), free them now rather than when the large-object heap's budget runs out (keeps the peak RSS near one
            // set of buffers). A small model's are not worth a full compacting collection of the whole heap every epoch.
            if (_trainIndices.Length % bs != 0 && GC.GetTotalAllocatedBytes() - allocatedBefore > LargeEpochAllocation)
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            metrics["valLoss"] = valLoss;
            metrics["valAccuracy"] = valAcc;
            var stats = LayerStatistics();
            metrics["seconds"] = wall.Elapsed.TotalSeconds;
            if (valAcc > bestAcc || best is null)
            {
                bestAcc = valAcc; bestEpoch = epoch + 1; best = Model.SaveCheckpoint();
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
        for (int start = 0; start < count; start += EvalBatch)
        {
            ct.ThrowIfCancellationRequested();
            int n = Math.Min(EvalBatch, count - start);
            // A short last batch is padded (repeating its first example) to the full batch size, so every layer
            // keeps its buffers instead of allocating a second set; only the first n rows are scored.
            int padded = Math.Min(EvalBatch, count);
            var rows = all.AsSpan(start, n);
            var idx = n == padded ? rows : [.. rows, .. Enumerable.Repeat(rows[0], padded - n)];
            var x = Batch(xs, ys, idx, training: false);
            var logits = Model.Network.Forward(x, training: false);
            if (n != padded) logits = new Tensor(logits.Data.AsSpan(0, n * logits.PerExample).ToArray(), n, logits.PerExample);
            loss += _loss.Forward(logits, _batchY.AsSpan(0, n), out int ok) * n;
            correct += ok;
        }
        return (loss / count, (double)correct / count);
    }

    private List<LayerStats> LayerStatistics()
    {
        int n = Math.Min(Math.Min(ProbeExamples, EvalBatch), _data.ValCount);
        if (n == 0) return [];
        var x = Batch(_data.ValX, _data.ValY, Enumerable.Range(0, n).ToArray(), training: false);
        Model.Network.Forward(x, training: false);
        return Model.Network.Flatten()
            .Where(l => l is IActivation { LastOutput: not null })
            .Select(l =>
            {
                var a = (IActivation)l;
                var s = ActivationStatistics.Of(l.Name, a.Kind, a.LastOutput!);
                return new LayerStats(s.Layer, s.Mean, s.Std, s.DeadFraction, s.SaturatedFraction);
            })
            .ToList();
    }

    private Tensor Batch(float[] xs, int[] ys, ReadOnlySpan<int> indices, bool training)
    {
        int n = indices.Length, f = _data.Features, c = _data.Channels, hw = _data.Height * _data.Width;
        if (_batchX.Length != n * f) _batchX = new float[n * f];
        if (_batchY.Length < n) _batchY = new int[Math.Max(n, EvalBatch)];
        for (int i = 0; i < n; i++)
        {
            var src = xs.AsSpan(indices[i] * f, f);
            var dst = _batchX.AsSpan(i * f, f);
            if (c == 1 || (!Model.ImageInput && _augment is null)) src.CopyTo(dst);
            else for (int ch = 0; ch < c; ch++) for (int p = 0; p < hw; p++) dst[p * c + ch] = src[ch * hw + p]; // CHW → HWC
            _batchY[i] = ys[indices[i]];
        }
        if (training && _augment is not null) _augment.Apply(_batchX, n, _data.Height, _data.Width, c);
        return Model.ImageInput ? new Tensor(_batchX, n, _data.Height, _data.Width, c) : new Tensor(_batchX, n, f);
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
}
