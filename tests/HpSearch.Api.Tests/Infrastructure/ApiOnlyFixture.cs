namespace HpSearch.Api.Tests.Infrastructure;

/// <summary>One API without a worker pool, shared by a test class (for tests that only read and validate).</summary>
public sealed class ApiOnlyFixture : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await ApiFactory.StartAsync(workers: false);
        Client = Api.CreateAuthorizedClient();
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}
