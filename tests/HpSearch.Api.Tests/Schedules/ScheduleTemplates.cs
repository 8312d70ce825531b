using System.Text.Json.Nodes;

namespace HpSearch.Api.Tests.Schedules;

/// <summary>Schedule bodies for the tests: a tiny built-in template (one trial, one epoch) by default.</summary>
public static class ScheduleTemplates
{
    public static JsonObject Tiny(int maxTrials = 1) => JsonNode.Parse($$"""
        {
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [8], "epochs": 1, "batchSize": 32 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 3 },
          "budget": { "maxTrials": {{maxTrials}}, "parallelism": 1 }
        }
        """)!.AsObject();

    /// <summary>A long run on the fake command trainer (0.5 s an epoch, 100 epochs).</summary>
    public static JsonObject Long() => JsonNode.Parse("""
        {
          "trainer": "fake",
          "dataset": "synthetic-blobs",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "budget": { "maxTrials": 1, "parallelism": 1, "maxEpochs": 100 }
        }
        """)!.AsObject();

    public static JsonObject Body(string name, string cron, JsonObject template, string overlap = "queue", string misfire = "skip") => new()
    {
        ["name"] = name,
        ["cron"] = cron,
        ["timeZone"] = "UTC",
        ["template"] = template,
        ["overlapPolicy"] = overlap,
        ["misfirePolicy"] = misfire,
    };
}
