using HpSearch.Api.Trials;

namespace HpSearch.Api.Live;

/// <summary>The <c>epoch</c> event of a live stream: one new (or re-written) epoch row of a trial.</summary>
public sealed record EpochEventDto(Guid TrialId, int TrialNumber, int Epoch, EpochDto Metrics);
