namespace HpSearch.Domain.Search;

/// <summary>How a search-space parameter is drawn.</summary>
public enum ParameterKind
{
    LogUniform,
    Uniform,
    Int,
    Categorical,
    Fixed,
}
