namespace HpSearch.Api.Tests.Faults;

/// <summary>The fault tests run one after another (each starts several processes), beside the other test classes.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
