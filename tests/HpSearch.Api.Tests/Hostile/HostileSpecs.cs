using System.Text.Json.Nodes;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>The valid spec the corpus and the fuzzer start from (tiny, never trained: the hostile tests run without workers),
/// and a setter for dotted paths ("searchSpace.lr.low", "params.hidden").</summary>
internal static class HostileSpecs
{
    public static JsonObject Valid() => JsonNode.Parse("""
        {
          "name": "hostile",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [16], "epochs": 2, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "adam"] }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 1 },
          "budget": { "maxTrials": 1, "parallelism": 1 },
          "earlyStopping": { "kind": "none" }
        }
        """)!.AsObject();

    /// <summary>Sets (or, with null, removes) the member at a dotted path, creating objects on the way.</summary>
    public static JsonObject Set(JsonObject spec, string path, string? rawJson)
    {
        var parts = path.Split('.');
        var node = spec;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next) node[part] = next = new JsonObject();
            node = next;
        }
        if (rawJson is null) node.Remove(parts[^1]);
        else node[parts[^1]] = JsonNode.Parse(rawJson);
        return spec;
    }

    /// <summary>The spec as text with a raw value spliced in at a path (for values JsonNode cannot hold, such as 1e400 or
    /// lone surrogate escapes): the path is first set to a marker string, then the marker is replaced.</summary>
    public static string Splice(JsonObject spec, string path, string rawText)
    {
        const string marker = "\"@@SPLICE@@\"";
        Set(spec, path, marker);
        return spec.ToJsonString().Replace(marker, rawText, StringComparison.Ordinal);
    }
}
