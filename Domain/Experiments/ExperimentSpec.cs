using System.Text.Json;
using HpSearch.Domain.Parameters;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>A validated sweep: trainer, data set, fixed parameters, search space, objective, strategy, budget, stopping rule.</summary>
public sealed record ExperimentSpec(
    string Name,
    string Trainer,
    string Dataset,
    IReadOnlyDictionary<string, object> Params,
    SearchSpace SearchSpace,
    Objective Objective,
    StrategySpec Strategy,
    Budget Budget,
    EarlyStoppingSpec EarlyStopping,
    string Pool = "cpu",
    ArtifactPolicy? Artifacts = null)
{
    /// <summary>The files kept after the experiment completed (<see cref="ArtifactPolicy.Default"/> when the spec says nothing).</summary>
    public ArtifactPolicy ArtifactPolicy => Artifacts ?? ArtifactPolicy.Default;

    public static readonly string[] TopLevelFields =
        ["name", "trainer", "dataset", "params", "searchSpace", "objective", "objectives", "strategy", "budget", "earlyStopping", "pool", "artifacts", "tags", "note"];

    private readonly IReadOnlyList<Objective>? _objectives;

    /// <summary>Every objective, the first being <see cref="Objective"/> (the one stopping rules, the target value and the
    /// chosen trial use). More than one: the experiment keeps the Pareto front (docs/decisions/0020-several-objectives.md).</summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value is { Count: > 0 } ? value : null;
    }

    /// <summary>True when the experiment has more than one objective.</summary>
    public bool IsMultiObjective => Objectives.Count > 1;

    /// <summary>Labels given at submit (<see cref="ExperimentLabels"/>); the stored experiment's own copy is edited afterwards.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A free-text note given at submit, or null.</summary>
    public string? Note { get; init; }

    /// <summary>The largest <c>budget.maxTrials</c> (at submit, and when an experiment is extended).</summary>
    public const int MaxTrialsLimit = 100_000;

    /// <summary>The trainer of an ask/tell experiment: clients train the trials and report each epoch; no worker trains.</summary>
    public const string ExternalTrainer = "external";

    /// <summary>True when clients train this experiment's trials over ask/tell.</summary>
    public bool IsExternal => Trainer == ExternalTrainer;

    /// <summary>Parses and validates a spec; throws <see cref="SpecException"/> naming every bad field.</summary>
    public static ExperimentSpec Parse(JsonElement json, ISpecCatalog catalog)
    {
        var errors = new SpecErrors();
        var spec = TryParse(json, catalog, errors);
        if (spec is null || !errors.IsEmpty) throw new SpecException(errors);
        return spec;
    }

    public static ExperimentSpec? TryParse(JsonElement json, ISpecCatalog catalog, SpecErrors errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "the body must be a JSON object.");
            return null;
        }
        JsonRead.RejectUnknown(json, "", errors, TopLevelFields);

        var name = JsonRead.String(json, "name", "name", errors, required: true);
        if (name is not null && (name.Trim().Length == 0 || name.Length > 200))
            errors.Add("name", "must be 1 to 200 characters.");

        var trainer = JsonRead.String(json, "trainer", "trainer", errors) ?? catalog.DefaultTrainer;
        if (!catalog.Trainers.Contains(trainer))
            errors.Add("trainer", $"unknown trainer '{trainer}'; known: {string.Join(", ", catalog.Trainers)}.");

        // An external trial trains on the client's data: its dataset is a free label, not one of the service's sets.
        var external = trainer == ExternalTrainer;
        var dataset = JsonRead.String(json, "dataset", "dataset", errors, required: !external) ?? (external ? ExternalTrainer : null);
        if (dataset is not null && !external && !catalog.Datasets.Contains(dataset))
            errors.Add("dataset", $"unknown dataset '{dataset}'; known: {string.Join(", ", catalog.Datasets)}.");
        if (dataset is not null && external && (dataset.Trim().Length == 0 || dataset.Length > 200))
            errors.Add("dataset", "must be 1 to 200 characters.");

        // A trainer meant for one pool (a GPU command trainer) gives the default, and an experiment cannot name another.
        var trainerPool = catalog.Trainers.Contains(trainer) ? catalog.PoolOf(trainer) : null;
        var pool = JsonRead.String(json, "pool", "pool", errors) ?? trainerPool ?? "cpu";
        if (trainerPool is not null && pool != trainerPool)
            errors.Add("pool", $"trainer '{trainer}' runs in pool '{trainerPool}'.");
        if (pool.Length == 0 || pool.Length > 64 || !pool.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add("pool", "must be 1 to 64 letters, digits, '-' or '_'.");

        var fixedParams = new Dictionary<string, object>(StringComparer.Ordinal);
        if (JsonRead.TryGet(json, "params", out var p))
        {
            if (p.ValueKind != JsonValueKind.Object) errors.Add("params", "must be an object.");
            else foreach (var kv in p.EnumerateObject()) fixedParams[kv.Name] = ParameterValue.FromJson(kv.Value);
        }

        SearchSpace space;
        if (JsonRead.TryGet(json, "searchSpace", out var s))
        {
            space = SearchSpace.Parse(s, errors, legacyFixedValues: catalog.IsStored);
            if (s.ValueKind == JsonValueKind.Object && !s.EnumerateObject().Any())
                errors.Add("searchSpace", "must name at least one parameter.");
        }
        else
        {
            errors.Add("searchSpace", "is required.");
            space = new SearchSpace([]);
        }

        var schema = catalog.Trainers.Contains(trainer) ? catalog.SchemaOf(trainer) : null;
        schema?.Check(fixedParams, space, trainer, errors);
        var objectives = ObjectivesReader.Read(json, schema, trainer, errors);
        var strategy = ParseStrategy(json, errors, space);
        if (external && strategy.Kind == StrategyKind.SixStep)
            errors.Add("strategy.kind", "six-step runs the service's own diagnostic trainings; trainer 'external' takes random, grid, tpe or hyperband.");
        var budget = ParseBudget(json, errors, fixedParams);
        var stopping = WithBrackets(ParseStopping(json, errors), strategy, budget, errors);
        if (strategy.Enqueue is { } queued && queued.Count > budget.MaxTrials)
            errors.Add("strategy.enqueue", $"holds {queued.Count} configurations, more than budget.maxTrials ({budget.MaxTrials}).");

        var artifacts = ArtifactPolicy.Read(json, errors);
        if (!catalog.IsStored) CheckSubmitRules(strategy, budget, stopping, errors);
        if (objectives.Count > 1) CheckMultiObjective(strategy, budget, stopping, errors);
        if (errors.IsEmpty && schema is not null && dataset is not null)
            TrialResources.Check(schema, fixedParams, space, dataset, catalog.MaxTrialBytes, errors);

        IReadOnlyList<string> tags = [];
        if (JsonRead.TryGet(json, "tags", out var tagsJson)) tags = ExperimentLabels.ReadTags(tagsJson, "tags", errors) ?? [];
        string? note = null;
        if (JsonRead.TryGet(json, "note", out var noteJson)) note = ExperimentLabels.ReadNote(noteJson, "note", errors, out _);

        if (!errors.IsEmpty || name is null || dataset is null) return null;
        return new ExperimentSpec(name.Trim(), trainer, dataset, fixedParams, space, objectives[0], strategy, budget, stopping, pool, artifacts)
        {
            Objectives = objectives,
            Tags = tags,
            Note = note,
        };
    }

    /// <summary>Rules added for submit time only (a stored spec accepted before them stays readable).</summary>
    private static void CheckSubmitRules(StrategySpec strategy, Budget budget, EarlyStoppingSpec stopping, SpecErrors errors)
    {
        if (strategy.Kind == StrategyKind.SixStep && strategy.SixStep is { } six
            && Recipe.SixStepRecipe.DiagnosticTrials(six) + 2 > budget.MaxTrials)
            errors.Add("budget.maxTrials", $"the six-step recipe needs {Recipe.SixStepRecipe.DiagnosticTrials(six)} diagnostic trials plus at least one coarse and one refine trial; raise maxTrials or lower strategy.sixStep.lrFinderPoints.");
        if (stopping.MinEpochs > budget.MaxEpochs)
            errors.Add("earlyStopping.minEpochs", $"must not exceed the epochs a trial may run ({budget.MaxEpochs}).");
    }

    /// <summary>With several objectives there is no single ranking of trials: the rules that need one are refused
    /// (successive halving and the median rule compare trials; the recipe and the target value pick one best).</summary>
    private static void CheckMultiObjective(StrategySpec strategy, Budget budget, EarlyStoppingSpec stopping, SpecErrors errors)
    {
        if (strategy.Kind is StrategyKind.SixStep or StrategyKind.Hyperband or StrategyKind.Bohb)
            errors.Add("strategy.kind", "several objectives work with 'random', 'grid' and 'tpe' (MOTPE); six-step, hyperband and bohb rank trials on one value.");
        else if (stopping.Kind is StoppingKind.Median or StoppingKind.Asha)
            errors.Add("earlyStopping.kind", "several objectives have no single ranking to prune on: use 'none' or 'patience' (patience watches the first objective).");
        if (budget.TargetValue is not null)
            errors.Add("budget.targetValue", "a target value needs a single objective.");
    }

    private static StrategySpec ParseStrategy(JsonElement json, SpecErrors errors, SearchSpace space)
    {
        if (!JsonRead.TryGet(json, "strategy", out var o)) return new StrategySpec(StrategyKind.Random, 0);
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add("strategy", "must be an object.");
            return new StrategySpec(StrategyKind.Random, 0);
        }
        JsonRead.RejectUnknown(o, "strategy", errors, "kind", "seed", "gridPoints", "sixStep", "tpe", "hyperband", "enqueue");
        var kindText = JsonRead.String(o, "kind", "strategy.kind", errors) ?? "random";
        StrategyKind? kind = kindText switch
        {
            "random" => StrategyKind.Random,
            "grid" => StrategyKind.Grid,
            "six-step" or "sixStep" => StrategyKind.SixStep,
            "tpe" => StrategyKind.Tpe,
            "hyperband" => StrategyKind.Hyperband,
            "bohb" => StrategyKind.Bohb,
            _ => null,
        };
        if (kind is null) errors.Add("strategy.kind", "must be 'random', 'grid', 'six-step', 'tpe', 'hyperband' or 'bohb'.");
        var seed = JsonRead.Int(o, "seed", "strategy.seed", errors) ?? 0;
        var points = JsonRead.Int(o, "gridPoints", "strategy.gridPoints", errors) ?? 3;
        if (points is < 1 or > 100) errors.Add("strategy.gridPoints", "must be between 1 and 100.");
        if (kind == StrategyKind.Grid && space.IsConditional && GridSampler.ParentAssignments(space) > GridSampler.MaxParentAssignments)
            errors.Add("searchSpace", $"a conditional grid's parents have more than {GridSampler.MaxParentAssignments} combinations.");
        if (kind == StrategyKind.Grid)
            foreach (var p in space.Parameters.Where(p => p.Kind == ParameterKind.Int && p.Points is null && p.High - p.Low + 1 > GridSampler.MaxIntValues))
                errors.Add($"searchSpace.{p.Name}.points", $"a grid over more than {GridSampler.MaxIntValues} integers needs 'points'.");
        SixStepOptions? six = null;
        if (JsonRead.TryGet(o, "sixStep", out var so)) six = SixStepOptionsReader.Read(so, errors, "strategy.sixStep");
        if (kind == StrategyKind.SixStep)
        {
            six ??= new SixStepOptions();
            if (space["lr"] is null) errors.Add("searchSpace.lr", "the six-step recipe needs an 'lr' parameter to tune.");
            foreach (var name in new[] { "lr", "weightDecay" })
                if (space[name]?.When is not null) errors.Add($"searchSpace.{name}.when", $"the six-step recipe sets '{name}' in every stage: it cannot be conditional.");
        }
        TpeOptions? tpe = null;
        if (JsonRead.TryGet(o, "tpe", out var to))
        {
            tpe = TpeOptionsReader.Read(to, errors, "strategy.tpe");
            if (kind is not null and not (StrategyKind.Tpe or StrategyKind.Bohb)) errors.Add("strategy.tpe", "applies only to strategy kinds 'tpe' and 'bohb'.");
        }
        HyperbandOptions? hyperband = null;
        if (JsonRead.TryGet(o, "hyperband", out var ho))
        {
            hyperband = ReadHyperband(ho, errors, "strategy.hyperband");
            if (kind is not null and not (StrategyKind.Hyperband or StrategyKind.Bohb))
                errors.Add("strategy.hyperband", "applies only to strategy kinds 'hyperband' and 'bohb'.");
        }
        if (kind is StrategyKind.Hyperband or StrategyKind.Bohb) hyperband ??= HyperbandOptions.Default;
        IReadOnlyList<IReadOnlyDictionary<string, object>>? enqueue = null;
        if (JsonRead.TryGet(o, "enqueue", out var eo))
        {
            enqueue = EnqueueReader.Read(eo, space, errors, "strategy.enqueue");
            if (kind is StrategyKind.Grid or StrategyKind.SixStep)
                errors.Add("strategy.enqueue", "applies to strategy kinds 'random', 'tpe', 'hyperband' and 'bohb'.");
        }
        return new StrategySpec(kind ?? StrategyKind.Random, seed, points, six, tpe, hyperband, enqueue);
    }

    private static HyperbandOptions ReadHyperband(JsonElement o, SpecErrors errors, string path)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object.");
            return HyperbandOptions.Default;
        }
        JsonRead.RejectUnknown(o, path, errors, "minEpochs", "reductionFactor");
        var min = JsonRead.Int(o, "minEpochs", JsonRead.Join(path, "minEpochs"), errors) ?? HyperbandOptions.Default.MinEpochs;
        if (min < 1) errors.Add(JsonRead.Join(path, "minEpochs"), "must be at least 1.");
        var eta = JsonRead.Int(o, "reductionFactor", JsonRead.Join(path, "reductionFactor"), errors) ?? HyperbandOptions.Default.ReductionFactor;
        if (eta is < 2 or > 100) errors.Add(JsonRead.Join(path, "reductionFactor"), "must be between 2 and 100.");
        return new HyperbandOptions(Math.Max(1, min), Math.Clamp(eta, 2, 100));
    }

    /// <summary>Hyperband brackets are successive halving: the rule becomes ASHA with the brackets' r and η (each bracket's
    /// first rung is set per trial by <see cref="EarlyStopping.StoppingRules.Check"/>), still combined with patience.</summary>
    private static EarlyStoppingSpec WithBrackets(EarlyStoppingSpec stopping, StrategySpec strategy, Budget budget, SpecErrors errors)
    {
        if (strategy.Hyperband is not { } hb || !strategy.UsesBrackets) return stopping;
        if (stopping.Kind is StoppingKind.Median or StoppingKind.Asha)
            errors.Add("earlyStopping.kind", $"strategy '{strategy.Kind.ToString().ToLowerInvariant()}' runs its own successive halving (strategy.hyperband); use 'none' or 'patience'.");
        if (hb.MinEpochs > budget.MaxEpochs)
            errors.Add("strategy.hyperband.minEpochs", $"must not exceed budget.maxEpochs ({budget.MaxEpochs}).");
        return stopping with { Kind = StoppingKind.Asha, MinEpochs = hb.MinEpochs, ReductionFactor = hb.ReductionFactor };
    }

    private static Budget ParseBudget(JsonElement json, SpecErrors errors, Dictionary<string, object> fixedParams)
    {
        int defaultEpochs = 10;
        if (fixedParams.TryGetValue("epochs", out var ep))
        {
            try { defaultEpochs = ParameterValue.AsInt(ep); }
            catch (FormatException) { errors.Add("params.epochs", "must be a whole number."); }
            if (defaultEpochs is < 1 or > 10_000) errors.Add("params.epochs", "must be between 1 and 10000.");
        }
        if (!JsonRead.TryGet(json, "budget", out var o)) return new Budget(20, 1, 5, defaultEpochs);
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add("budget", "must be an object.");
            return new Budget(20, 1, 5, defaultEpochs);
        }
        JsonRead.RejectUnknown(o, "budget", errors, "maxTrials", "parallelism", "maxFailedTrials", "maxEpochs", "timeLimitSeconds", "targetValue");
        var maxTrials = JsonRead.Int(o, "maxTrials", "budget.maxTrials", errors) ?? 20;
        if (maxTrials is < 1 or > MaxTrialsLimit) errors.Add("budget.maxTrials", $"must be between 1 and {MaxTrialsLimit}.");
        var par = JsonRead.Int(o, "parallelism", "budget.parallelism", errors) ?? 1;
        if (par is < 1 or > 1000) errors.Add("budget.parallelism", "must be between 1 and 1000.");
        var maxFailed = JsonRead.Int(o, "maxFailedTrials", "budget.maxFailedTrials", errors) ?? 5;
        if (maxFailed < 0) errors.Add("budget.maxFailedTrials", "must not be negative.");
        var maxEpochs = JsonRead.Int(o, "maxEpochs", "budget.maxEpochs", errors) ?? defaultEpochs;
        if (maxEpochs is < 1 or > 10_000) errors.Add("budget.maxEpochs", "must be between 1 and 10000.");
        var time = JsonRead.Number(o, "timeLimitSeconds", "budget.timeLimitSeconds", errors);
        if (time is <= 0) errors.Add("budget.timeLimitSeconds", "must be positive.");
        var target = JsonRead.Number(o, "targetValue", "budget.targetValue", errors);
        return new Budget(maxTrials, par, maxFailed, maxEpochs, time, target);
    }

    private static EarlyStoppingSpec ParseStopping(JsonElement json, SpecErrors errors)
    {
        if (!JsonRead.TryGet(json, "earlyStopping", out var o)) return EarlyStoppingSpec.None;
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add("earlyStopping", "must be an object.");
            return EarlyStoppingSpec.None;
        }
        JsonRead.RejectUnknown(o, "earlyStopping", errors,
            "kind", "patience", "minDelta", "minEpochs", "reductionFactor", "startupTrials", "warmupEpochs");
        var kindText = JsonRead.String(o, "kind", "earlyStopping.kind", errors) ?? "none";
        StoppingKind? kind = kindText switch
        {
            "none" => StoppingKind.None,
            "patience" => StoppingKind.Patience,
            "median" => StoppingKind.Median,
            "asha" => StoppingKind.Asha,
            _ => null,
        };
        if (kind is null) errors.Add("earlyStopping.kind", "must be 'none', 'patience', 'median' or 'asha'.");
        var patience = JsonRead.Int(o, "patience", "earlyStopping.patience", errors);
        if (patience is < 1) errors.Add("earlyStopping.patience", "must be at least 1.");
        if (kind == StoppingKind.Patience) patience ??= 3;
        var minDelta = JsonRead.Number(o, "minDelta", "earlyStopping.minDelta", errors) ?? 0;
        if (minDelta < 0) errors.Add("earlyStopping.minDelta", "must not be negative.");
        var minEpochs = JsonRead.Int(o, "minEpochs", "earlyStopping.minEpochs", errors) ?? 1;
        if (minEpochs < 1) errors.Add("earlyStopping.minEpochs", "must be at least 1.");
        var eta = JsonRead.Int(o, "reductionFactor", "earlyStopping.reductionFactor", errors) ?? 3;
        if (eta < 2) errors.Add("earlyStopping.reductionFactor", "must be at least 2.");
        var startup = JsonRead.Int(o, "startupTrials", "earlyStopping.startupTrials", errors) ?? 3;
        if (startup < 0) errors.Add("earlyStopping.startupTrials", "must not be negative.");
        var warmup = JsonRead.Int(o, "warmupEpochs", "earlyStopping.warmupEpochs", errors) ?? 1;
        if (warmup < 0) errors.Add("earlyStopping.warmupEpochs", "must not be negative.");
        return new EarlyStoppingSpec(kind ?? StoppingKind.None, patience, minDelta, minEpochs, eta, startup, warmup);
    }
}
