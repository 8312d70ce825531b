using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Experiments;

/// <summary>The mapping from stored rows to the Domain's records: the stored spec, trials with their epochs.</summary>
public static class ExperimentStore
{
    /// <summary>Reads a stored experiment's spec as it was accepted (the submit-time checks are not run again).</summary>
    public static ExperimentSpec ParseSpec(Experiment experiment, ISpecCatalog catalog)
    {
        using var doc = JsonDocument.Parse(experiment.SpecJson);
        return WithBudgetInForce(ExperimentSpec.Parse(doc.RootElement, catalog.IsStored ? catalog : new StoredSpecCatalog(catalog, experiment.Trainer)), experiment);
    }

    /// <summary>The spec with the experiment's current trial budget (raised by an extension; never lowered).</summary>
    private static ExperimentSpec WithBudgetInForce(ExperimentSpec spec, Experiment experiment) =>
        experiment.MaxTrials > spec.Budget.MaxTrials ? spec with { Budget = spec.Budget with { MaxTrials = experiment.MaxTrials } } : spec;

    /// <summary>Reads a stored spec where no catalog is at hand (the API's read side): the experiment's own trainer and data set
    /// are taken as known. Null when the stored document cannot be read any more.</summary>
    public static ExperimentSpec? TryParseSpec(Experiment experiment)
    {
        using var doc = JsonDocument.Parse(experiment.SpecJson);
        var spec = ExperimentSpec.TryParse(doc.RootElement, new RecordedCatalog(experiment.Trainer, experiment.Dataset), new Domain.Validation.SpecErrors());
        return spec is null ? null : WithBudgetInForce(spec, experiment);
    }

    /// <summary>Every trial of the experiment with its epochs, in number order.</summary>
    public static async Task<List<TrialRecord>> LoadTrialRecordsAsync(HpSearchDb db, Guid experimentId, CancellationToken cancellationToken)
    {
        var trials = await db.Trials.AsNoTracking()
            .Where(t => t.ExperimentId == experimentId)
            .OrderBy(t => t.Number)
            .ToListAsync(cancellationToken);
        var epochs = await db.TrialEpochs.AsNoTracking()
            .Where(e => db.Trials.Any(t => t.Id == e.TrialId && t.ExperimentId == experimentId))
            .OrderBy(e => e.Epoch)
            .ToListAsync(cancellationToken);
        var byTrial = epochs.ToLookup(e => e.TrialId);
        return trials.Select(t => ToRecord(t, byTrial[t.Id])).ToList();
    }

    public static TrialRecord ToRecord(Trial t, IEnumerable<TrialEpoch> epochs) =>
        ToRecord(t.Number, t.Status, t.ParamsJson, t.Stage, t.OptionsJson, t.SummaryJson, t.MaxEpochs, epochs.Select(ToPoint).ToList());

    /// <summary>A trial's record from its stored columns and the epochs read for it.</summary>
    public static TrialRecord ToRecord(int number, TrialStatus status, string paramsJson, string? stage, string? optionsJson, string? summaryJson,
        int maxEpochs, IReadOnlyList<EpochPoint> epochs) => new(
        number,
        status,
        WireJson.ParseParams(paramsJson),
        epochs,
        stage,
        WireJson.Deserialize<TrialOptions>(optionsJson),
        WireJson.ParseNumbers(summaryJson),
        maxEpochs);

    public static EpochPoint ToPoint(TrialEpoch e) => new(e.Epoch, EpochColumns.Read(e));

    /// <summary>The trainer and data set recorded with a stored experiment, nothing checked against them.</summary>
    private sealed class RecordedCatalog(string trainer, string dataset) : ISpecCatalog
    {
        public IReadOnlyCollection<string> Trainers => [trainer];
        public IReadOnlyCollection<string> Datasets => [dataset];
        public Domain.Parameters.ParameterSchema? SchemaOf(string name) => null;
        public string DefaultTrainer => trainer;
        public bool IsStored => true;
    }
}
