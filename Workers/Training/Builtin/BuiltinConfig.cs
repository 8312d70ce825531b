using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>The built-in trainer's hyperparameters, read by name from a trial's params with their defaults
/// (documented in docs/trainer-parameters.md). Unknown names or bad values throw <see cref="ArgumentException"/>.
/// The TorchSharp trainer takes the same parameters and reads them here too.</summary>
internal sealed record BuiltinConfig
{
    /// <summary>Every parameter name the built-in trainer reads (the keys of <see cref="BuiltinSchema.Rules"/>).</summary>
    public static IEnumerable<string> Names => BuiltinSchema.Rules.Keys;

    public string Model { get; init; } = "mlp";
    public int[] Hidden { get; init; } = [256, 256];
    public string Activation { get; init; } = "relu";
    public float LeakySlope { get; init; } = 0.01f;
    public float EluAlpha { get; init; } = 1f;
    public string Init { get; init; } = "he";
    public double InitStd { get; init; } = 0.01;
    public bool BatchNorm { get; init; }
    public float BnMomentum { get; init; } = 0.1f;
    public float[] Dropout { get; init; } = [0f];
    public bool Residual { get; init; }
    public int[] ConvChannels { get; init; } = [32, 64];
    public int ConvKernel { get; init; } = 3;
    public int ConvStride { get; init; } = 1;
    public int? ConvPadding { get; init; }
    public bool Pool { get; init; } = true;
    public string Optimizer { get; init; } = "adam";
    public float Lr { get; init; } = 1e-3f;
    public float Momentum { get; init; } = 0.9f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Eps { get; init; } = 1e-8f;
    public float RmspropAlpha { get; init; } = 0.99f;
    public float WeightDecay { get; init; }
    public string WeightDecayMode { get; init; } = "optimizer";
    public bool DecayAll { get; init; }
    public float MaxNorm { get; init; }
    public float ClipNorm { get; init; }
    public string Schedule { get; init; } = "constant";
    public int StepEpochs { get; init; } = 10;
    public float Gamma { get; init; } = 0.1f;
    public float MinLr { get; init; }
    public double WarmupEpochs { get; init; }
    public int BatchSize { get; init; } = 128;
    public int? Epochs { get; init; }
    public bool AugFlip { get; init; }
    public int AugShift { get; init; }
    public float AugErase { get; init; }
    public float AugRotate { get; init; }

    public float DropoutAt(int layer) => Dropout.Length == 0 ? 0 : Dropout[Math.Min(layer, Dropout.Length - 1)];
    public bool Augments => AugFlip || AugShift > 0 || AugErase > 0 || AugRotate > 0;

    public static BuiltinConfig Parse(IReadOnlyDictionary<string, object> p, TrialOptions options, string trainer = "builtin")
    {
        var unknown = p.Keys.Where(k => !BuiltinSchema.Rules.ContainsKey(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown parameter(s) for the {trainer} trainer: {string.Join(", ", unknown)}.");
        try
        {
            var c = new BuiltinConfig
            {
                Model = Choice(p, "model", "mlp", "mlp", "cnn"),
                Activation = Choice(p, "activation", "relu", "relu", "leakyrelu", "leaky-relu", "elu", "tanh", "sigmoid"),
                LeakySlope = F(p, "leakySlope", 0.01f), EluAlpha = F(p, "eluAlpha", 1f),
                Init = Choice(p, "init", "he", "zeros", "normal", "xavier", "xavier-uniform", "xavier-normal", "he", "he-normal", "he-uniform", "orthogonal"),
                InitStd = D(p, "initStd", 0.01), BatchNorm = B(p, "batchNorm", false), BnMomentum = F(p, "bnMomentum", 0.1f),
                Dropout = p.TryGetValue("dropout", out var dv) ? FloatArray(dv) : [0f],
                Residual = B(p, "residual", false),
                ConvChannels = p.TryGetValue("convChannels", out var cc) ? ParameterValue.AsIntArray(cc) : [32, 64],
                ConvKernel = I(p, "convKernel", 3), ConvStride = I(p, "convStride", 1),
                ConvPadding = p.TryGetValue("convPadding", out var cp) ? ParameterValue.AsInt(cp) : null,
                Pool = B(p, "pool", true),
                Optimizer = Choice(p, "optimizer", "adam", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"),
                Lr = F(p, "lr", 1e-3f), Momentum = F(p, "momentum", 0.9f), Beta1 = F(p, "beta1", 0.9f), Beta2 = F(p, "beta2", 0.999f),
                Eps = F(p, "eps", 1e-8f), RmspropAlpha = F(p, "rmspropAlpha", 0.99f),
                WeightDecay = F(p, "weightDecay", 0f),
                WeightDecayMode = Choice(p, "weightDecayMode", "optimizer", "optimizer", "loss"),
                DecayAll = B(p, "decayAll", false), MaxNorm = F(p, "maxNorm", 0f), ClipNorm = F(p, "clipNorm", 0f),
                Schedule = Choice(p, "schedule", "constant", "constant", "step", "cosine", "warmup"),
                StepEpochs = I(p, "stepEpochs", 10), Gamma = F(p, "gamma", 0.1f), MinLr = F(p, "minLr", 0f),
                WarmupEpochs = D(p, "warmupEpochs", p.TryGetValue("schedule", out var s) && ParameterValue.AsString(s) == "warmup" ? 1 : 0),
                BatchSize = I(p, "batchSize", 128),
                Epochs = p.TryGetValue("epochs", out var e) ? ParameterValue.AsInt(e) : null,
                AugFlip = B(p, "augFlip", false), AugShift = I(p, "augShift", 0), AugErase = F(p, "augErase", 0f), AugRotate = F(p, "augRotate", 0f),
            };
            c = c with { Hidden = p.TryGetValue("hidden", out var h) ? ParameterValue.AsIntArray(h) : c.Model == "cnn" ? [128] : [256, 256] };
            if (options.RegularizationOff) c = c with { WeightDecay = 0, Dropout = [0f] };
            // The recipe's refine stage trains longer "with no LR decay" (CS231n): whatever the spec's schedule says.
            if (options.ConstantLearningRate) c = c with { Schedule = "constant", WarmupEpochs = 0 };
            c.Validate();
            return c;
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    private void Validate()
    {
        Check(Lr > 0 && float.IsFinite(Lr), "lr must be a positive number.");
        Check(BatchSize >= 1, "batchSize must be ≥ 1.");
        Check(Hidden.All(h => h >= 1), "hidden widths must be ≥ 1.");
        Check(ConvChannels.Length >= 1 && ConvChannels.All(x => x >= 1), "convChannels must be a non-empty list of widths ≥ 1.");
        Check(ConvKernel >= 1 && ConvStride >= 1 && (ConvPadding ?? 0) >= 0, "convKernel/convStride must be ≥ 1 and convPadding ≥ 0.");
        Check(Dropout.All(d => d is >= 0 and < 1), "dropout must be in [0, 1).");
        Check(WeightDecay >= 0 && MaxNorm >= 0 && ClipNorm >= 0, "weightDecay, maxNorm and clipNorm must be ≥ 0.");
        Check(Momentum is >= 0 and < 1 && Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1 && RmspropAlpha is >= 0 and < 1, "momentum, beta1, beta2 and rmspropAlpha must be in [0, 1).");
        Check(InitStd > 0, "initStd must be positive.");
        Check(Epochs is null or >= 1, "epochs must be ≥ 1.");
        Check(AugShift >= 0 && AugErase is >= 0 and <= 1 && AugRotate >= 0, "augShift ≥ 0, augErase in [0, 1], augRotate ≥ 0.");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }

    private static string Choice(IReadOnlyDictionary<string, object> p, string name, string fallback, params string[] allowed)
    {
        if (!p.TryGetValue(name, out var v)) return fallback;
        var s = ParameterValue.AsString(v).ToLowerInvariant();
        if (!allowed.Contains(s)) throw new ArgumentException($"Invalid {name} '{s}': expected one of {string.Join(", ", allowed)}.");
        return s;
    }

    private static float F(IReadOnlyDictionary<string, object> p, string name, float fallback) => (float)D(p, name, fallback);
    private static double D(IReadOnlyDictionary<string, object> p, string name, double fallback) =>
        p.TryGetValue(name, out var v) ? Number(name, () => ParameterValue.AsDouble(v)) : fallback;
    private static int I(IReadOnlyDictionary<string, object> p, string name, int fallback) =>
        p.TryGetValue(name, out var v) ? (int)Number(name, () => ParameterValue.AsInt(v)) : fallback;
    private static bool B(IReadOnlyDictionary<string, object> p, string name, bool fallback) =>
        p.TryGetValue(name, out var v) ? Number(name, () => ParameterValue.AsBool(v) ? 1 : 0) != 0 : fallback;

    private static double Number(string name, Func<double> read)
    {
        try { return read(); }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException) { throw new ArgumentException($"Invalid {name}: {ex.Message}", ex); }
    }

    private static float[] FloatArray(object v) => v switch
    {
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } e => e.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray(),
        IEnumerable<object> list => list.Select(x => (float)ParameterValue.AsDouble(x)).ToArray(),
        double[] d => d.Select(x => (float)x).ToArray(),
        _ => [(float)ParameterValue.AsDouble(v)],
    };
}
