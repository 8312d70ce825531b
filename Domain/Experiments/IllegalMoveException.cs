namespace HpSearch.Domain.Experiments;

/// <summary>A status change the <see cref="Lifecycle"/> state machine does not allow (a finished trial started again, a
/// completed experiment run again): a bug in the caller, never a user's error.</summary>
public sealed class IllegalMoveException(string message) : InvalidOperationException(message);
