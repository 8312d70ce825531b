using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Operations;

/// <summary>
/// Who may open <c>/hangfire</c>, over real sockets: the API listens on loopback and on a non-loopback address of this
/// machine, so a request to the second one really comes from elsewhere (its remote address is not loopback; no forwarded
/// header is involved, the app trusts none). From elsewhere it needs a key with the read scope, and acting (deleting a job)
/// needs the write scope.
/// </summary>
public sealed partial class JobsDashboardTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ApiFactory _api = null!;
    private Uri _loopback = null!;
    private Uri _elsewhere = null!;

    public async Task InitializeAsync()
    {
        var address = NonLoopbackAddress();
        _database = await TestDatabase.CreateAsync("jobsdash");
        _api = new ApiFactory(_database, workers: false, settings: new Dictionary<string, string> { ["urls"] = $"http://127.0.0.1:0;http://{address}:0" });
        _api.UseKestrel();
        _api.StartServer();
        var bound = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        _loopback = bound.Single(u => u.Host == "127.0.0.1");
        _elsewhere = bound.Single(u => u.Host == address.ToString());
        using var http = new HttpClient { BaseAddress = _loopback };
        await Polling.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/ready")).IsSuccessStatusCode ? default(JsonElement) : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "the API to be ready");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>An IPv4 address of this machine that is not loopback (a container or a CI runner always has one).</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address to test a remote request with.");

    private HttpClient Client(Uri baseAddress, string? key = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<string> CreateKeyAsync(string scope)
    {
        using var admin = Client(_loopback, ApiFactory.ApiKey);
        var response = await admin.PostAsJsonAsync("/api/keys", new { name = $"dash-{scope}", scopes = new[] { scope } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>A job parked in the enqueued state of a queue no server serves: there to be deleted.</summary>
    private string ParkJob() =>
        _api.Services.GetRequiredService<IBackgroundJobClient>().Create(() => Console.WriteLine("parked"), new EnqueuedState("parked"));

    private string StateOf(string jobId)
    {
        using var connection = _api.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetJobData(jobId)!.State;
    }

    /// <summary>Posts the dashboard's delete command for one job, with the antiforgery token its page carries (if any).</summary>
    private static async Task<HttpStatusCode> DeleteAsync(HttpClient client, string jobId)
    {
        var page = await client.GetStringAsync($"/hangfire/jobs/details/{jobId}");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hangfire/jobs/actions/delete/{jobId}")
        {
            Content = new FormUrlEncodedContent([]),
        };
        var header = AntiforgeryHeader().Match(page);
        var token = AntiforgeryToken().Match(page);
        if (header.Success && token.Success) request.Headers.Add(header.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[1].Value));
        return (await client.SendAsync(request)).StatusCode;
    }

    [GeneratedRegex("data-antiforgery-header=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryHeader();

    [GeneratedRegex("data-antiforgery-token=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task FromLoopback_OpensWithoutAKey()
    {
        using var client = Client(_loopback);
        var response = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("HpSearch jobs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FromElsewhere_WithoutAKey_Is401ProblemAskingForBasicAuth()
    {
        using var client = Client(_elsewhere);
        var response = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task FromElsewhere_AWrongKey_IsRefused()
    {
        using var client = Client(_elsewhere, "not-a-key-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task FromElsewhere_AReadKey_OpensItReadOnly_AndCannotDeleteAJob()
    {
        var key = await CreateKeyAsync("read");
        using var client = Client(_elsewhere, key);
        var job = ParkJob();
        var page = await client.GetAsync($"/hangfire/jobs/details/{job}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("jobs/actions/delete", await page.Content.ReadAsStringAsync()); // no delete button drawn

        Assert.False((int)await DeleteAsync(client, job) is >= 200 and < 300);
        Assert.Equal(EnqueuedState.StateName, StateOf(job));
    }

    [Fact]
    public async Task FromElsewhere_AWriteKey_DeletesAJob()
    {
        var key = await CreateKeyAsync("write");
        using var client = Client(_elsewhere, key);
        var job = ParkJob();
        Assert.Contains("jobs/actions/delete", await client.GetStringAsync($"/hangfire/jobs/details/{job}"));

        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync(client, job));
        Assert.Equal(DeletedState.StateName, StateOf(job));
    }

    [Fact]
    public async Task FromElsewhere_TheKeyAsTheBasicAuthPassword_OpensIt()
    {
        var key = await CreateKeyAsync("read");
        using var client = Client(_elsewhere);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"operator:{key}")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }
}
