namespace HpSearch.Domain.EarlyStopping;

/// <summary>What a cross-trial rule needs to know about the competing trials after one epoch: a statistic at that epoch only,
/// so a store answers it from that epoch's values with one indexed query instead of every curve of the experiment.</summary>
/// <param name="ReductionFactor">η, for <see cref="PeerStatistic.RungThreshold"/>; 0 otherwise.</param>
public sealed record PeerQuestion(PeerStatistic Statistic, int Epoch, int ReductionFactor = 0);
