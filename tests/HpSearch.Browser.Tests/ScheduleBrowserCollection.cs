namespace HpSearch.Browser.Tests;

/// <summary>A browser host for the schedule pages alone, never in parallel with the shared host's tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScheduleBrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "schedule-browser";
}
