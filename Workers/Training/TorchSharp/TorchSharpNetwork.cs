using ActivationKind = HpSearch.Engine.Layers.ActivationKind;
using Initializer = HpSearch.Engine.Initializer;
using InitKind = HpSearch.Engine.InitKind;
using HpSearch.Workers.Training.Builtin;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>The network a trial's parameters describe, built from TorchSharp modules with the built-in engine's
/// architecture (same layer order, names and defaults): an MLP or a CNN (conv blocks → pool → fully connected head),
/// with optional BatchNorm, dropout per hidden layer and residual blocks. Images are NCHW.</summary>
internal sealed class TorchSharpNetwork
{
    private static readonly Lock GlobalGeneratorLock = new();

    private TorchSharpNetwork(nn.Module<Tensor, Tensor> module, bool imageInput, IReadOnlyList<RecordedActivation> activations)
    {
        Module = module;
        ImageInput = imageInput;
        Activations = activations;
    }

    public nn.Module<Tensor, Tensor> Module { get; }
    public bool ImageInput { get; }
    public IReadOnlyList<RecordedActivation> Activations { get; }

    /// <param name="initGenerator">Draws the initial weights (on the CPU, where the network is built).</param>
    /// <param name="dropoutGenerator">Draws dropout masks, on the device the network trains on.</param>
    public static TorchSharpNetwork Build(BuiltinConfig cfg, int channels, int height, int width, int classes, Generator initGenerator, Generator dropoutGenerator)
    {
        var init = Initializer.Parse(cfg.Init);
        double gain = init == InitKind.Orthogonal && cfg.Activation is "relu" or "leakyrelu" or "leaky-relu" ? Math.Sqrt(2) : 1;
        var activations = new List<RecordedActivation>();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();

        RecordedActivation Activation(string prefix)
        {
            var (kind, function, suffix) = cfg.Activation switch
            {
                "relu" => (ActivationKind.Relu, (nn.Module<Tensor, Tensor>)nn.ReLU(), "relu"),
                "leakyrelu" or "leaky-relu" => (ActivationKind.LeakyRelu, nn.LeakyReLU(cfg.LeakySlope), "leakyrelu"),
                "elu" => (ActivationKind.Elu, nn.ELU(cfg.EluAlpha), "elu"),
                "tanh" => (ActivationKind.Tanh, nn.Tanh(), "tanh"),
                _ => (ActivationKind.Sigmoid, nn.Sigmoid(), "sigmoid"),
            };
            var a = new RecordedActivation($"{prefix}.{suffix}", kind, function);
            activations.Add(a);
            return a;
        }
        Linear Dense(long i, long o)
        {
            var l = nn.Linear(i, o);
            WeightInit.Fill(l.weight!, init, cfg.InitStd, gain, initGenerator);
            using (no_grad()) l.bias!.zero_();
            return l;
        }
        Conv2d Conv(long ci, long co, long k, long stride, long pad)
        {
            var c = nn.Conv2d(ci, co, k, stride, pad);
            WeightInit.Fill(c.weight!, init, cfg.InitStd, gain, initGenerator);
            using (no_grad()) c.bias!.zero_();
            return c;
        }
        static string Key(string name) => name.Replace('.', '_');

        long features = (long)channels * height * width;
        bool image = cfg.Model == "cnn";
        if (image)
        {
            if (height < 2 || width < 2) throw new ArgumentException("model 'cnn' needs an image data set (height and width ≥ 2).");
            long c = channels, h = height, w = width;
            int k = cfg.ConvKernel, pad = cfg.ConvPadding ?? k / 2;
            for (int b = 0; b < cfg.ConvChannels.Length; b++)
            {
                string n = $"conv{b + 1}";
                layers.Add((n, Conv(c, cfg.ConvChannels[b], k, cfg.ConvStride, pad)));
                h = (h + 2 * pad - k) / cfg.ConvStride + 1; w = (w + 2 * pad - k) / cfg.ConvStride + 1; c = cfg.ConvChannels[b];
                if (h < 1 || w < 1) throw new ArgumentException($"The image is too small for conv block {b + 1}.");
                if (cfg.BatchNorm) layers.Add(($"{n}_bn", nn.BatchNorm2d(c, momentum: cfg.BnMomentum)));
                layers.Add((Key($"{n}.act"), Activation(n)));
                if (cfg.Residual)
                {
                    var body = new List<(string, nn.Module<Tensor, Tensor>)> { ("conv1", Conv(c, c, 3, 1, 1)) };
                    if (cfg.BatchNorm) body.Add(("bn1", nn.BatchNorm2d(c, momentum: cfg.BnMomentum)));
                    body.Add(("act", Activation($"{n}.res")));
                    body.Add(("conv2", Conv(c, c, 3, 1, 1)));
                    if (cfg.BatchNorm) body.Add(("bn2", nn.BatchNorm2d(c, momentum: cfg.BnMomentum)));
                    layers.Add(($"{n}_res", new ResidualBlock($"{n}.res", nn.Sequential(body.ToArray()))));
                    layers.Add(($"{n}_res_out", Activation($"{n}.res.out")));
                }
                if (cfg.Pool && h >= 2 && w >= 2)
                {
                    layers.Add(($"{n}_pool", nn.MaxPool2d(2, 2)));
                    h /= 2; w /= 2;
                }
            }
            layers.Add(("flatten", nn.Flatten()));
            features = h * w * c;
        }
        long prev = features;
        for (int i = 0; i < cfg.Hidden.Length; i++)
        {
            string n = $"fc{i + 1}";
            long units = cfg.Hidden[i];
            var block = new List<(string, nn.Module<Tensor, Tensor>)> { (n, Dense(prev, units)) };
            if (cfg.BatchNorm) block.Add(($"{n}_bn", nn.BatchNorm1d(units, momentum: cfg.BnMomentum)));
            block.Add(($"{n}_act", Activation(n)));
            float p = cfg.DropoutAt(i);
            if (p > 0) block.Add(($"{n}_dropout", new SeededDropout($"{n}.dropout", p, dropoutGenerator)));
            // Residual MLP: a hidden layer that keeps the width becomes y = x + f(x).
            if (cfg.Residual && units == prev && i > 0) layers.Add(($"{n}_res", new ResidualBlock($"{n}.res", nn.Sequential(block.ToArray()))));
            else layers.AddRange(block);
            prev = units;
        }
        layers.Add(("out", Dense(prev, classes)));
        return new TorchSharpNetwork(nn.Sequential(layers.ToArray()), image, activations);
    }

    /// <summary>An operator's custom model (<see cref="CustomModel"/>), built with libtorch's process-wide generator seeded
    /// under a lock (its own initialisation draws from it), so the same seed builds the same weights.</summary>
    public static TorchSharpNetwork Custom(CustomModel model, IReadOnlyDictionary<string, object> p, int channels, int height, int width, int classes, int seed)
    {
        lock (GlobalGeneratorLock)
        {
            manual_seed(seed);
            return new TorchSharpNetwork(model.Create(p, channels, height, width, classes), imageInput: true, []);
        }
    }

    /// <summary>Parameters and buffers (BatchNorm running statistics) in TorchSharp's state format.</summary>
    public byte[] SaveCheckpoint()
    {
        using var ms = new MemoryStream();
        Module.save(ms);
        return ms.ToArray();
    }

    public void LoadCheckpoint(byte[] checkpoint)
    {
        using var ms = new MemoryStream(checkpoint);
        Module.load(ms);
    }
}
