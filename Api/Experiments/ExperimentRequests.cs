namespace HpSearch.Api.Experiments;

/// <summary>The body of <c>PATCH /api/experiments/{id}</c>: either member, or both; a member left out is kept, <c>"note": null</c>
/// or <c>""</c> removes the note, <c>"tags": []</c> removes every tag. Read as raw JSON so each bad value is named.</summary>
public sealed record ExperimentLabelsRequest(IReadOnlyList<string>? Tags, string? Note);

/// <summary>The body of <c>POST /api/experiments/{id}/extend</c>: the new trial budget, above the current one.</summary>
public sealed record ExtendRequest(int MaxTrials);
