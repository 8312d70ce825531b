using System.Text;
using System.Text.Json.Nodes;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Seeded mutations of the valid spec: values swapped for hostile ones (extreme numbers, wrong types, control
/// characters, lone surrogates, huge widths), members removed or added, bytes flipped or cut.</summary>
public sealed class SpecFuzzer(int seed)
{
    private static readonly string[] Paths =
    [
        "name", "trainer", "dataset", "pool", "params", "searchSpace", "objective", "strategy", "budget", "earlyStopping",
        "params.model", "params.hidden", "params.activation", "params.epochs", "params.batchSize", "params.dropout", "params.lr",
        "params.optimizer", "params.convChannels", "params.convKernel", "params.momentum", "params.batchNorm", "params.colour",
        "searchSpace.lr", "searchSpace.lr.type", "searchSpace.lr.low", "searchSpace.lr.high", "searchSpace.lr.points",
        "searchSpace.optimizer", "searchSpace.optimizer.values", "searchSpace.optimizer.type", "searchSpace.hidden",
        "searchSpace.dropout", "searchSpace.batchSize", "searchSpace.epochs",
        "objective.metric", "objective.direction", "strategy.kind", "strategy.seed", "strategy.gridPoints", "strategy.sixStep",
        "budget.maxTrials", "budget.parallelism", "budget.maxEpochs", "budget.maxFailedTrials", "budget.timeLimitSeconds",
        "earlyStopping.kind", "earlyStopping.minEpochs", "earlyStopping.patience", "earlyStopping.reductionFactor",
    ];

    private static readonly string[] Values =
    [
        "0", "-1", "1", "2", "2.5", "0.999", "1e19", "1e400", "-1e400", "9223372036854775808", "-2147483649", "1e-400",
        "\"\"", "\"x\"", "\"adam\"", "\"mlp\"", "\"cnn\"", "\"relu\"", "\"5\"", "\"\\u0000\"", "\"\\ud800\"", "\"a\\u001b[2J\"",
        "\"=cmd|' /C calc'!A0\"", "null", "true", "false", "[]", "{}", "[65536, 65537]", "[16, 16]", "[1e400]", "[[[]]]", "[16, \"32\"]",
        "[-1]", "[0.5, 1]", "{\"type\": \"uniform\", \"low\": 0, \"high\": 1}", "{\"type\": \"logUniform\", \"low\": 1e-5, \"high\": 1}",
        "{\"type\": \"int\", \"low\": 1, \"high\": 1e19}", "{\"type\": \"int\", \"low\": 16, \"high\": 16384}",
        "{\"type\": \"categorical\", \"values\": [1, 1]}", "{\"type\": \"categorical\", \"values\": [\"sgd\", \"lion\"]}",
        "{\"type\": \"categorical\", \"values\": [[16], [16384, 16384, 16384]]}", "{\"type\": \"fixed\", \"value\": 3}",
        "{\"kind\": \"six-step\", \"sixStep\": {\"lrFinderPoints\": 1000}}", "{\"kind\": \"grid\"}", "{\"kind\": \"asha\", \"minEpochs\": 3}",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The next mutated spec as raw bytes.</summary>
    public byte[] Next()
    {
        // Values are spliced in as raw text at the end (markers until then): 1e400 or a lone surrogate cannot live in a JsonNode.
        var spec = HostileSpecs.Valid();
        var raw = new List<string>();
        var ops = _random.Next(1, 4);
        for (var i = 0; i < ops; i++)
        {
            var path = _random.Next(10) == 0 ? $"params.p{_random.Next(100)}" : Paths[_random.Next(Paths.Length)];
            string? value = _random.Next(6) switch
            {
                0 => null,
                1 => RandomNumber(),
                2 => RandomString(),
                _ => Values[_random.Next(Values.Length)],
            };
            if (value is null)
            {
                HostileSpecs.Set(spec, path, null);
                continue;
            }
            HostileSpecs.Set(spec, path, $"\"@@R{raw.Count}@@\"");
            raw.Add(value);
        }
        var text = spec.ToJsonString();
        for (var i = 0; i < raw.Count; i++) text = text.Replace($"\"@@R{i}@@\"", raw[i], StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (_random.Next(20))
        {
            case 0: // flip a byte
                bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                break;
            case 1: // cut the body short
                bytes = bytes[.._random.Next(bytes.Length)];
                break;
        }
        return bytes;
    }

    private string RandomNumber() => _random.Next(4) switch
    {
        0 => _random.Next(int.MinValue, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => (_random.NextDouble() * 2 - 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        2 => $"1e{_random.Next(-400, 400)}",
        _ => ((long)_random.NextInt64()).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string RandomString()
    {
        var sb = new StringBuilder("\"");
        var length = _random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            var c = _random.Next(8) switch
            {
                0 => $"\\u{_random.Next(0, 0x20):x4}",
                1 => $"\\u{_random.Next(0xD800, 0xE000):x4}",
                2 => char.ConvertFromUtf32(_random.Next(0x80, 0x2FFFF) is var cp && cp is >= 0xD800 and < 0xE000 ? 0x4E00 : cp),
                _ => ((char)_random.Next('a', 'z' + 1)).ToString(),
            };
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
