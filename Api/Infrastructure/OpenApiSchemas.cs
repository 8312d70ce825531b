using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Api.Experiments;
using HpSearch.Api.Schedules;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HpSearch.Api;

/// <summary>Gives typed schemas where the generator sees none: the experiment spec (hand-built from what the parser reads),
/// the schedule body's required fields and enums, and each response property the API carries as stored JSON
/// (<see cref="JsonElement"/>), so no body or property in the document is an empty schema.</summary>
public sealed class OpenApiSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete) return;
        if (context.Type == typeof(ExperimentSpecBody))
        {
            var spec = ExperimentSpecSchema.Build();
            concrete.Type = spec.Type;
            concrete.Description = spec.Description;
            concrete.Required = spec.Required;
            concrete.Properties = spec.Properties;
            concrete.AdditionalPropertiesAllowed = spec.AdditionalPropertiesAllowed;
            return;
        }
        if (context.Type == typeof(ScheduleBody))
        {
            concrete.Required = new HashSet<string> { "name", "cron", "template" };
            foreach (var required in concrete.Required)
                if (concrete.Properties?.TryGetValue(required, out var p) == true && p is OpenApiSchema s && s.Type is { } t)
                    s.Type = t & ~JsonSchemaType.Null;
            concrete.AdditionalPropertiesAllowed = false;
            SetEnum(concrete, "misfirePolicy", "skip", "runOnce");
            SetEnum(concrete, "overlapPolicy", "skip", "queue");
        }
        if (concrete.Properties is null) return;
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType != typeof(JsonElement) && property.PropertyType != typeof(JsonElement?)) continue;
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!concrete.Properties.ContainsKey(name)) continue;
            concrete.Properties[name] = StoredJson(context, $"{context.Type.Name}.{property.Name}");
        }
    }

    /// <summary>The schema of each JSON value the API passes through from storage.</summary>
    private static IOpenApiSchema StoredJson(SchemaFilterContext context, string property) => property switch
    {
        "ExperimentSummaryDto.Spec" or "ScheduleDto.Template" =>
            context.SchemaGenerator.GenerateSchema(typeof(ExperimentSpecBody), context.SchemaRepository),
        "ExperimentSummaryDto.Stages" => Array("The six-step recipe's stages in order (empty for other strategies).", new OpenApiSchema
        {
            Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema(),
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["number"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["summary"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            },
        }),
        "TrialSummaryDto.Params" => Map("The trial's parameters by name: the fixed ones and the values drawn for it."),
        "TrialSummaryDto.StopReason" => new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null, AdditionalProperties = new OpenApiSchema(),
            Description = "Why a stopped trial stopped: the rule, epoch, rung, value and the threshold it missed.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["epoch"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["value"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                ["threshold"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        },
        "TrialSummaryDto.Summary" => Map("The run's summary: trainer, device, timings and what the trainer reported.", nullable: true),
        "EpochDto.Extra" => Map("Further metrics the trainer reported for this epoch, by name.", nullable: true),
        "EpochDto.Layers" => new OpenApiSchema
        {
            Description = "Per-layer activation and gradient statistics of this epoch, when recorded.",
        },
        "WorkerNodeDto.Pools" => Array("The pools the node serves and their slots.", new OpenApiSchema
        {
            Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema(),
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["slots"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            },
        }),
        "WorkerNodeDto.Slots" => Array("The busy slots: pool, index, trial and since when.", Map("A busy slot.")),
        _ => throw new InvalidOperationException($"{property} is stored JSON without a schema: describe it in {nameof(OpenApiSchemas)}."),
    };

    private static OpenApiSchema Map(string description, bool nullable = false) => new()
    {
        Type = nullable ? JsonSchemaType.Object | JsonSchemaType.Null : JsonSchemaType.Object,
        AdditionalProperties = new OpenApiSchema(), Description = description,
    };

    private static OpenApiSchema Array(string description, IOpenApiSchema items) => new()
    {
        Type = JsonSchemaType.Array, Items = items, Description = description,
    };

    private static void SetEnum(OpenApiSchema schema, string property, params string[] values)
    {
        if (schema.Properties?.TryGetValue(property, out var p) == true && p is OpenApiSchema s)
            s.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
    }
}
