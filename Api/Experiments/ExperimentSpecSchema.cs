using System.Globalization;
using System.Text.Json.Nodes;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;
using Microsoft.OpenApi;

namespace HpSearch.Api.Experiments;

/// <summary>The JSON Schema of an experiment spec, describing what <see cref="ExperimentSpec.TryParse"/> accepts (that parser
/// stays the one that decides: the catalog's trainers, data sets, trainer parameters and cross-field rules are checked
/// there only). It is the request body of <c>POST /api/experiments</c> in the OpenAPI document and is published alone at
/// <see cref="Url"/> so editors can validate a spec file.</summary>
public static class ExperimentSpecSchema
{
    public const string Url = "/api/schema/experiment-spec.json";

    /// <summary>Strategy kinds the parser reads (<c>sixStep</c> is an accepted spelling of <c>six-step</c>).</summary>
    public static readonly IReadOnlyList<string> StrategyKinds = ["random", "grid", "six-step", "sixStep", "tpe", "hyperband", "bohb"];

    public static readonly IReadOnlyList<string> StoppingKinds = ["none", "patience", "median", "asha"];

    /// <summary>Parameter types per shape; the second and later names are accepted aliases.</summary>
    public static readonly IReadOnlyList<string> RangeTypes = ["logUniform", "uniform", "int", "loguniform", "log-uniform", "integer"];
    public static readonly IReadOnlyList<string> CategoricalTypes = ["categorical", "choice"];
    public static readonly IReadOnlyList<string> FixedTypes = ["fixed", "const"];

    public static OpenApiSchema Build() => Object(
        "An experiment: what to train, the parameters to search, the objective, the strategy, the budget and the stopping rule. "
        + "The service also checks the trainer's parameters (docs/trainer-parameters.md) and answers 400 naming every bad field.",
        ["name", "searchSpace"],
        ("name", Text("The experiment's name.", 1, 200)),
        ("trainer", Text("builtin, torchsharp, auto (the default), external (ask/tell: clients train, docs/ask-tell.md) or a command trainer the operator configured.", 1, null)),
        ("dataset", Text("mnist, fashion-mnist, a synthetic set (e.g. synthetic-blobs) or a configured file set; required unless the trainer is external.", 1, null)),
        ("params", AnyObject("Fixed trainer parameters (model, hidden, activation, epochs, ...).")),
        ("searchSpace", SearchSpace()),
        ("objective", ObjectiveSchema("What to optimise; default valAccuracy, maximised. Give this or objectives, not both.")),
        ("objectives", new OpenApiSchema
        {
            Type = JsonSchemaType.Array, MinItems = 1, MaxItems = Objective.MaxObjectives,
            Items = ObjectiveSchema("One objective; the first is the one patience watches and the chosen trial is best on."),
            Description = "Several objectives at once: the experiment keeps the Pareto front (docs/decisions/0020-several-objectives.md). "
                + "Works with strategies random, grid and tpe (MOTPE) and stopping rules none and patience; no targetValue.",
        }),
        ("strategy", Strategy()),
        ("budget", Object("How much the sweep may spend.", [],
            ("maxTrials", Int("Trials at most (default 20).", 1, 100_000)),
            ("parallelism", Int("Trials running at once (default 1).", 1, 1000)),
            ("maxFailedTrials", Int("Failed trials that fail the experiment (default 5).", 0, null)),
            ("maxEpochs", Int("Epochs per trial (default params.epochs, else 10).", 1, 10_000)),
            ("timeLimitSeconds", Number("Wall-clock limit of the whole experiment.", exclusiveMinimum: 0)),
            ("targetValue", Number("Objective value at which the sweep stops early.")))),
        ("earlyStopping", Object("The stopping rule (docs/decisions/0003-stopping-rules.md); default none.", [],
            ("kind", Enum("none, patience, median or asha.", StoppingKinds)),
            ("patience", Int("Epochs without improvement before a trial stops (patience; combines with median and asha).", 1, null)),
            ("minDelta", Number("Smallest change that counts as an improvement.", minimum: 0)),
            ("minEpochs", Int("First rung / epochs before a rule may stop a trial.", 1, null)),
            ("reductionFactor", Int("ASHA's η.", 2, null)),
            ("startupTrials", Int("Median rule: trials to finish before it prunes.", 0, null)),
            ("warmupEpochs", Int("Median rule: epochs before it prunes.", 0, null)))),
        ("pool", new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_-]{1,64}$",
            Description = "The worker pool (cpu, gpu, ...); default the trainer's pool, else cpu.",
        }),
        ("artifacts", Object("The files kept once the experiment completed (docs/artifacts.md).", [],
            ("keepTop", Int("The best trials whose checkpoints and files are kept (default 1; 0 keeps none).", 0, ArtifactPolicy.MaxKeepTop)),
            ("retentionDays", Int("Days they are kept (default the operator's Artifacts:RetentionDays).", 1, ArtifactPolicy.MaxRetentionDays)))),
        ("tags", new OpenApiSchema
        {
            Type = JsonSchemaType.Array, MaxItems = ExperimentLabels.MaxTags, UniqueItems = true,
            Items = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,39}$" },
            Description = $"Labels to find the experiment by: at most {ExperimentLabels.MaxTags}, each {ExperimentLabels.TagRule}. Editable later (PATCH).",
        }),
        ("note", Text("A free-text note (line breaks allowed). Editable later (PATCH).", 0, ExperimentLabels.MaxNoteLength)));

    /// <summary>GET <see cref="Url"/>: the schema as a JSON Schema document, open to everyone (it holds no data).</summary>
    public static IEndpointRouteBuilder MapExperimentSpecSchema(this IEndpointRouteBuilder app)
    {
        app.MapGet(Url, (HttpRequest request) =>
                TypedResults.Text(ToJsonSchema($"{request.Scheme}://{request.Host}{request.PathBase}"), "application/schema+json"))
            .WithTags("Schema").WithName("GetExperimentSpecSchema").WithSummary("Get the experiment spec's JSON Schema")
            .Produces<string>(StatusCodes.Status200OK, "application/schema+json");
        return app;
    }

    /// <summary>The schema as a standalone JSON Schema (2020-12) document, as served at <see cref="Url"/>.</summary>
    public static string ToJsonSchema(string baseUrl)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Build().SerializeAsV31(new OpenApiJsonWriter(text));
        var node = JsonNode.Parse(text.ToString())!.AsObject();
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = baseUrl.TrimEnd('/') + Url,
            ["title"] = "HpSearch experiment spec",
        };
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            document[key] = value;
        }
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static OpenApiSchema ObjectiveSchema(string description) => Object(description, [],
        ("metric", new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = Objective.NamePattern,
            Description = "Any metric the trainer reports: built-in and torchsharp report " + string.Join(", ", Objective.BuiltinMetrics)
                + "; command and external trainers report their own. Never a test metric.",
        }),
        ("direction", Enum("Defaults to minimize for a loss, seconds, trainSeconds, iterations and parameters, maximize otherwise.", ["maximize", "minimize"])));

    private static OpenApiSchema SearchSpace() => new()
    {
        Type = JsonSchemaType.Object,
        MinProperties = 1,
        Description = "The parameters to search, by name: a range, a list of values, or a fixed value (fixed values may go in params instead; a parameter cannot be both).",
        AdditionalProperties = new OpenApiSchema
        {
            OneOf =
            [
                Object("A range: uniform, log-uniform (10^U(log10 low, log10 high)) or integers.", ["type", "low", "high"],
                    ("type", Enum("The shape.", RangeTypes)),
                    ("low", Number("Lower bound (> 0 on a log scale).")),
                    ("high", Number("Upper bound, above low.")),
                    ("log", new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "int only: sample on a log scale." }),
                    ("points", Int("Grid points of this range (grid strategy).", 1, 1000)),
                    ("when", When())),
                Object("A list of values to choose from, all of one JSON type.", ["type", "values"],
                    ("type", Enum("The shape.", CategoricalTypes)),
                    ("values", new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array, MinItems = 1, MaxItems = Domain.Search.SearchSpace.MaxChoices, UniqueItems = true,
                        Items = new OpenApiSchema(), Description = "The choices.",
                    }),
                    ("when", When())),
                Object("One value, the same for every trial.", ["type", "value"],
                    ("type", Enum("The shape.", FixedTypes)),
                    ("value", new OpenApiSchema { Description = "The value." }),
                    ("when", When())),
            ],
        },
    };

    /// <summary>A conditional parameter's condition: parents (categorical or fixed parameters) and the value, or values, each
    /// must hold for the parameter to exist (docs/strategies.md, "Conditional parameters").</summary>
    private static OpenApiSchema When() => new()
    {
        Type = JsonSchemaType.Object, MinProperties = 1,
        Description = "The parameter exists only when each named parent parameter holds the value, or one of the values, given.",
        AdditionalProperties = new OpenApiSchema
        {
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean },
                new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, MaxItems = Domain.Search.SearchSpace.MaxChoices,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean } },
            ],
        },
    };

    private static OpenApiSchema Strategy() => Object(
        "How trials are chosen (docs/strategies.md); default random with seed 0. An option block applies to the kinds it names.", [],
        ("kind", Enum("random, grid, six-step, tpe, hyperband or bohb.", StrategyKinds)),
        ("seed", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "Seeds every draw." }),
        ("gridPoints", Int("Points per continuous parameter in a grid (default 3).", 1, 100)),
        ("sixStep", Object("The six-step recipe's settings (docs/six-step-recipe.md).", [],
            ("initialLossTolerance", Positive()), ("overfitExamplesPerClass", Int(null, 1, 1000)),
            ("overfitMaxEpochs", Int(null, 1, 10_000)), ("overfitTargetAccuracy", Number(null, exclusiveMinimum: 0, maximum: 1)),
            ("lrFinderLow", Positive()), ("lrFinderHigh", Positive()), ("lrFinderPoints", Int(null, 1, 100)),
            ("lrFinderIterations", Int(null, 1, 100_000)), ("lrFinderWeightDecay", Number(null)),
            ("coarseLrFactors", Numbers(allowZero: false)), ("coarseWeightDecays", Numbers(allowZero: true)),
            ("coarseEpochs", Int(null, 1, 10_000)), ("refineTopK", Int(null, 1, 100)), ("refineTrials", Int(null, 1, 10_000)),
            ("refineEpochs", Int(null, 1, 10_000)), ("smoothingWindow", Int(null, 1, 100)), ("overfitGap", Positive()))),
        ("tpe", Object("TPE's settings (tpe, bohb).", [],
            ("startupTrials", Int("Random trials before TPE.", 0, 10_000)),
            ("candidates", Int("Candidates scored per suggestion.", 1, 1000)),
            ("multivariate", new OpenApiSchema { Type = JsonSchemaType.Boolean }),
            ("constantLiar", new OpenApiSchema { Type = JsonSchemaType.Boolean }),
            ("gamma", Number("Share of trials in the good group, in (0, 1].", exclusiveMinimum: 0, maximum: 1)))),
        ("hyperband", Object("The brackets' settings (hyperband, bohb).", [],
            ("minEpochs", Int("r: epochs of the smallest rung.", 1, null)),
            ("reductionFactor", Int("η.", 2, 100)))),
        ("enqueue", new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Items = AnyObject("A configuration: searched parameters by name."),
            Description = "Configurations to try first, in order (random, tpe, hyperband, bohb); at most budget.maxTrials.",
        }));

    private static OpenApiSchema Object(string? description, string[] required, params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Required = required.Length == 0 ? null : new HashSet<string>(required),
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema),
        // The parser refuses unknown fields, naming them: so does the schema.
        AdditionalPropertiesAllowed = false,
    };

    private static OpenApiSchema AnyObject(string description) => new()
    {
        Type = JsonSchemaType.Object, Description = description, AdditionalProperties = new OpenApiSchema(),
    };

    private static OpenApiSchema Text(string description, int? minLength, int? maxLength) => new()
    {
        Type = JsonSchemaType.String, Description = description, MinLength = minLength, MaxLength = maxLength,
    };

    private static OpenApiSchema Enum(string description, IEnumerable<string> values) => new()
    {
        Type = JsonSchemaType.String, Description = description, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
    };

    private static OpenApiSchema Int(string? description, int? minimum, int? maximum) => new()
    {
        Type = JsonSchemaType.Integer, Format = "int32", Description = description,
        Minimum = minimum?.ToString(CultureInfo.InvariantCulture), Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
    };

    private static OpenApiSchema Number(string? description, double? minimum = null, double? exclusiveMinimum = null, double? maximum = null) => new()
    {
        Type = JsonSchemaType.Number, Format = "double", Description = description,
        Minimum = minimum?.ToString(CultureInfo.InvariantCulture),
        ExclusiveMinimum = exclusiveMinimum?.ToString(CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
    };

    private static OpenApiSchema Positive() => Number(null, exclusiveMinimum: 0);

    private static OpenApiSchema Numbers(bool allowZero) => new()
    {
        Type = JsonSchemaType.Array, MinItems = 1, MaxItems = SixStepOptionsReader.MaxListItems,
        Items = allowZero ? Number(null, minimum: 0) : Positive(),
    };
}
