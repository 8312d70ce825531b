namespace HpSearch.Domain.Validation;

/// <summary>Thrown by Domain factories when a spec is invalid; carries every bad field.</summary>
public sealed class SpecException(SpecErrors errors) : Exception(errors.ToString())
{
    public SpecErrors Errors { get; } = errors;
}
