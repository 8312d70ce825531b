namespace HpSearch.Workers.Training.Command;

/// <summary>A command trainer's program failed (non-zero exit, no epochs); the message carries the tail of its stderr.</summary>
public sealed class CommandTrainerException(string message) : Exception(message);
