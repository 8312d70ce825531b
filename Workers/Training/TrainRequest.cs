using HpSearch.Domain.Strategies;

namespace HpSearch.Workers.Training;

/// <summary>Everything a trainer needs for one trial attempt.</summary>
/// <param name="Params">The spec's fixed params merged with the sampled ones (sampled win).</param>
/// <param name="Seed">Seeds every random draw of the run (init, shuffling, dropout, augmentation).</param>
/// <param name="Slot">The node-local slot index of the pool the trial runs in (a command trainer's CUDA_VISIBLE_DEVICES on a gpu pool).</param>
public sealed record TrainRequest(
    Guid TrialId,
    int Attempt,
    string Dataset,
    IReadOnlyDictionary<string, object> Params,
    int MaxEpochs,
    int Seed,
    TrialOptions Options,
    string Pool = "cpu",
    int Slot = 0);
