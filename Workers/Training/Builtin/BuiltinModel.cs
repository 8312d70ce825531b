using HpSearch.Engine;
using HpSearch.Engine.Layers;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>Builds the network a trial's parameters describe: an MLP (hidden widths, activation, BatchNorm, dropout per
/// layer, optional residual blocks) or a CNN (conv blocks → pool → fully connected head, optional residual blocks).</summary>
internal sealed class BuiltinModel
{
    private BuiltinModel(Sequential network, bool imageInput)
    {
        Network = network;
        ImageInput = imageInput;
        Parameters = network.Parameters();
    }

    public Sequential Network { get; }
    /// <summary>True when the network takes [N, H, W, C] images (CNN), false for [N, features].</summary>
    public bool ImageInput { get; }
    public IReadOnlyList<Parameter> Parameters { get; }

    public static BuiltinModel Build(BuiltinConfig cfg, int channels, int height, int width, int classes, Random random, Compute compute)
    {
        var layers = new List<ILayer>();
        var init = Initializer.Parse(cfg.Init);
        ILayer Activation(string prefix) => cfg.Activation switch
        {
            "relu" => new Relu($"{prefix}.relu", compute),
            "leakyrelu" or "leaky-relu" => new ElementwiseActivation(ActivationKind.LeakyRelu, cfg.LeakySlope, $"{prefix}.leakyrelu"),
            "elu" => new ElementwiseActivation(ActivationKind.Elu, cfg.EluAlpha, $"{prefix}.elu"),
            "tanh" => new ElementwiseActivation(ActivationKind.Tanh, null, $"{prefix}.tanh"),
            _ => new ElementwiseActivation(ActivationKind.Sigmoid, null, $"{prefix}.sigmoid"),
        };
        Linear Dense(int i, int o, string name)
        {
            var l = new Linear(i, o, compute, name);
            Initializer.Fill(l.Weight.Value, i, o, init, random, cfg.InitStd, OrthogonalGain(cfg, init));
            return l;
        }
        Conv2d Conv(int ci, int co, int k, int stride, int pad, string name)
        {
            var c = new Conv2d(ci, co, k, stride, pad, compute, name);
            Initializer.Fill(c.Weight.Value, k * k * ci, k * k * co, init, random, cfg.InitStd, OrthogonalGain(cfg, init));
            return c;
        }

        int features = channels * height * width;
        bool image = cfg.Model == "cnn";
        if (image)
        {
            if (height < 2 || width < 2) throw new ArgumentException("model 'cnn' needs an image data set (height and width ≥ 2).");
            int c = channels, h = height, w = width, k = cfg.ConvKernel, pad = cfg.ConvPadding ?? k / 2;
            for (int b = 0; b < cfg.ConvChannels.Length; b++)
            {
                string n = $"conv{b + 1}";
                var conv = Conv(c, cfg.ConvChannels[b], k, cfg.ConvStride, pad, n);
                h = conv.OutputSize(h); w = conv.OutputSize(w); c = cfg.ConvChannels[b];
                if (h < 1 || w < 1) throw new ArgumentException($"The image is too small for conv block {b + 1}.");
                layers.Add(conv);
                if (cfg.BatchNorm) layers.Add(new BatchNorm(c, cfg.BnMomentum, name: $"{n}.bn"));
                layers.Add(Activation(n));
                if (cfg.Residual)
                {
                    var body = new List<ILayer> { Conv(c, c, 3, 1, 1, $"{n}.res.conv1") };
                    if (cfg.BatchNorm) body.Add(new BatchNorm(c, cfg.BnMomentum, name: $"{n}.res.bn1"));
                    body.Add(Activation($"{n}.res"));
                    body.Add(Conv(c, c, 3, 1, 1, $"{n}.res.conv2"));
                    if (cfg.BatchNorm) body.Add(new BatchNorm(c, cfg.BnMomentum, name: $"{n}.res.bn2"));
                    layers.Add(new Residual(new Sequential(body, $"{n}.res.body"), $"{n}.res"));
                    layers.Add(Activation($"{n}.res.out"));
                }
                if (cfg.Pool && h >= 2 && w >= 2)
                {
                    layers.Add(new MaxPool2d(2, 2, $"{n}.pool", compute));
                    h /= 2; w /= 2;
                }
            }
            layers.Add(new Flatten());
            features = h * w * c;
        }
        int prev = features;
        for (int i = 0; i < cfg.Hidden.Length; i++)
        {
            string n = $"fc{i + 1}";
            int width_ = cfg.Hidden[i];
            var block = new List<ILayer> { Dense(prev, width_, n) };
            if (cfg.BatchNorm) block.Add(new BatchNorm(width_, cfg.BnMomentum, name: $"{n}.bn"));
            block.Add(Activation(n));
            float p = cfg.DropoutAt(i);
            if (p > 0) block.Add(new Dropout(p, random, $"{n}.dropout"));
            // Residual MLP: a hidden layer that keeps the width becomes y = x + f(x).
            if (cfg.Residual && width_ == prev && i > 0) layers.Add(new Residual(new Sequential(block, $"{n}.body"), $"{n}.res"));
            else layers.AddRange(block);
            prev = width_;
        }
        layers.Add(Dense(prev, classes, "out"));
        switch (layers[0])
        {
            case Linear l: l.ComputeInputGradient = false; break;
            case Conv2d c: c.ComputeInputGradient = false; break;
        }
        return new BuiltinModel(new Sequential(layers, cfg.Model), image);
    }

    private static double OrthogonalGain(BuiltinConfig cfg, InitKind init) =>
        init == InitKind.Orthogonal && cfg.Activation is "relu" or "leakyrelu" or "leaky-relu" ? Math.Sqrt(2) : 1;

    /// <summary>Parameters then buffers (BatchNorm running statistics), as little-endian floats.</summary>
    public byte[] SaveCheckpoint()
    {
        var arrays = Parameters.Select(p => p.Value).Concat(Network.Buffers()).ToArray();
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write(arrays.Length);
        foreach (var a in arrays)
        {
            w.Write(a.Length);
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        w.Flush();
        return ms.ToArray();
    }

    public void LoadCheckpoint(byte[] checkpoint)
    {
        var arrays = Parameters.Select(p => p.Value).Concat(Network.Buffers()).ToArray();
        using var r = new BinaryReader(new MemoryStream(checkpoint));
        if (r.ReadInt32() != arrays.Length) throw new ArgumentException("The checkpoint does not match this model's parameters.");
        foreach (var a in arrays)
        {
            if (r.ReadInt32() != a.Length) throw new ArgumentException("The checkpoint does not match this model's parameter shapes.");
            var bytes = r.ReadBytes(a.Length * 4);
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(a);
        }
    }
}
