using HpSearch.Domain.Parameters;
using HpSearch.Workers.Data;
using static HpSearch.Domain.Parameters.ParameterRule;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>The built-in trainer's parameters (docs/trainer-parameters.md) as a schema checked at submit time. A trainer
/// taking the same parameters (TorchSharp) publishes <see cref="Create"/> too.</summary>
public static class BuiltinSchema
{
    /// <summary>Widest accepted layer (hidden units or channels): far above the tuning literature's models, far below an
    /// element count that overflows.</summary>
    public const int MaxWidth = 16_384;

    public static readonly IReadOnlyDictionary<string, ParameterRule> Rules = new Dictionary<string, ParameterRule>(StringComparer.Ordinal)
    {
        ["model"] = Choice("mlp", "cnn"),
        ["hidden"] = IntegerList(1, MaxWidth, 32),
        ["activation"] = Choice("relu", "leakyrelu", "leaky-relu", "elu", "tanh", "sigmoid"),
        ["leakySlope"] = Number(0, 1),
        ["eluAlpha"] = Number(0, 100, minExclusive: true),
        ["init"] = Choice("zeros", "normal", "xavier", "xavier-uniform", "xavier-normal", "he", "he-normal", "he-uniform", "orthogonal"),
        ["initStd"] = Number(0, 10, minExclusive: true),
        ["batchNorm"] = Boolean(),
        ["bnMomentum"] = Number(0, 1),
        ["dropout"] = NumberList(0, 1, maxExclusive: true, maxItems: 32),
        ["residual"] = Boolean(),
        ["convChannels"] = IntegerList(1, 4096, 16),
        ["convKernel"] = Integer(1, 15),
        ["convStride"] = Integer(1, 8),
        ["convPadding"] = Integer(0, 16),
        ["pool"] = Boolean(),
        ["optimizer"] = Choice("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"),
        ["lr"] = Number(0, 1000, minExclusive: true),
        ["momentum"] = Number(0, 1, maxExclusive: true),
        ["beta1"] = Number(0, 1, maxExclusive: true),
        ["beta2"] = Number(0, 1, maxExclusive: true),
        ["eps"] = Number(0, 1, minExclusive: true),
        ["rmspropAlpha"] = Number(0, 1, maxExclusive: true),
        ["weightDecay"] = Number(0, 100),
        ["weightDecayMode"] = Choice("optimizer", "loss"),
        ["decayAll"] = Boolean(),
        ["maxNorm"] = Number(0, 1e6),
        ["clipNorm"] = Number(0, 1e6),
        ["schedule"] = Choice("constant", "step", "cosine", "warmup"),
        ["stepEpochs"] = Integer(1, 10_000),
        ["gamma"] = Number(0, 10, minExclusive: true),
        ["minLr"] = Number(0, 1000),
        ["warmupEpochs"] = Number(0, 10_000),
        ["batchSize"] = Integer(1, 65_536),
        ["epochs"] = Integer(1, 10_000),
        ["augFlip"] = Boolean(),
        ["augShift"] = Integer(0, 64),
        ["augErase"] = Number(0, 1),
        ["augRotate"] = Number(0, 180),
    };

    /// <summary>The schema with the memory estimate for <paramref name="datasets"/>' shapes.</summary>
    public static ParameterSchema Create(DatasetCatalog datasets) =>
        new(Rules) { Metrics = EpochMetrics.Names, EstimateBytes = (p, dataset) => BuiltinFootprint.Bytes(p, DatasetShape.Of(datasets, dataset)) };
}
