namespace HpSearch.Persistence.Trials;

/// <summary>A trial a client claimed over ask/tell, and the attempt its lease holds.</summary>
public sealed record ClaimedTrial(Guid TrialId, AttemptStart Start);
