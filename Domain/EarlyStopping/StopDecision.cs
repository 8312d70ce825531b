namespace HpSearch.Domain.EarlyStopping;

/// <summary>Why a trial stops: which rule, at which epoch (and rung), its value and the threshold it missed.</summary>
/// <param name="Pruned">True for a cross-trial rule (median, ASHA): the trial ends as pruned. False for patience:
/// the trial ends as completed with its best epoch kept.</param>
public sealed record StopDecision(string Rule, int Epoch, double Value, double Threshold, string Reason, bool Pruned, int? Rung = null);
