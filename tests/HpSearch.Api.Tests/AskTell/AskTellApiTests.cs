using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.AskTell;

/// <summary>The ask/tell routes over HTTP: keys and scopes, every bad field named in a 4xx ProblemDetails, retried reports
/// and tells that change nothing, and pruning answered in the report response.</summary>
public sealed class AskTellApiTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private const string Spec = """
        { "name": "asktell-api", "trainer": "external",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-4, "high": 1 } },
          "objective": { "metric": "valLoss", "direction": "minimize" },
          "strategy": { "kind": "random", "seed": 1 },
          "budget": { "maxTrials": 4, "maxEpochs": 3, "parallelism": 2 } }
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(string Experiment, JsonElement Lease)> LeaseAsync(string spec = Spec)
    {
        var id = await AskTellEndToEndTests.SubmitAsync(fixture.Client, spec);
        return (id, await AskTellEndToEndTests.AskUntilLeasedAsync(fixture.Client, id));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, HttpClient? client = null)
    {
        var response = await (client ?? fixture.Client).PostAsync(path, Json(json));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static void AssertNames(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}': {problem}");

    [Fact]
    public async Task Ask_LeasesATrial_WithItsParamsSeedAttemptAndLease_AndStoresTheClientHost()
    {
        var (_, lease) = await LeaseAsync();
        Assert.Equal(1, lease.GetProperty("attempt").GetInt32());
        Assert.Equal(3, lease.GetProperty("maxEpochs").GetInt32());
        Assert.Equal("valLoss", lease.GetProperty("objective").GetProperty("metric").GetString());
        Assert.True(lease.GetProperty("params").GetProperty("lr").GetDouble() is > 1e-4 and < 1);
        Assert.True(lease.GetProperty("leaseExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var trial = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/trials/{lease.GetProperty("trialId").GetString()}");
        Assert.Equal("running", trial.GetProperty("status").GetString());
        Assert.Equal("client:test", trial.GetProperty("worker").GetString());
    }

    [Fact]
    public async Task Ask_GivesEachTrialOnce_AndNoMoreThanTheParallelism()
    {
        var id = await AskTellEndToEndTests.SubmitAsync(fixture.Client, Spec);
        var first = await AskTellEndToEndTests.AskUntilLeasedAsync(fixture.Client, id);
        var second = await AskTellEndToEndTests.AskUntilLeasedAsync(fixture.Client, id);
        Assert.NotEqual(first.GetProperty("trialId").GetString(), second.GetProperty("trialId").GetString());
        var (status, third) = await PostAsync($"/api/experiments/{id}/ask", "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, third.GetProperty("trial").ValueKind);
        Assert.False(third.GetProperty("done").GetBoolean());
        Assert.True(third.GetProperty("retryAfterSeconds").GetDouble() > 0);
    }

    [Fact]
    public async Task RepeatedReportAndTell_ChangeNothing()
    {
        var (_, lease) = await LeaseAsync();
        var trial = lease.GetProperty("trialId").GetString();
        var report = """{ "attempt": 1, "epoch": 1, "metrics": { "valLoss": 0.5 } }""";
        Assert.Equal("continue", (await PostAsync($"/api/trials/{trial}/report", report)).Body.GetProperty("decision").GetString());
        var (status, again) = await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 1, "epoch": 1, "metrics": { "valLoss": 9.9 } }""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("continue", again.GetProperty("decision").GetString());
        var stored = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/trials/{trial}");
        Assert.Equal(0.5, stored.GetProperty("metrics")[0].GetProperty("valLoss").GetDouble());

        var told = (await PostAsync($"/api/trials/{trial}/tell", """{ "attempt": 1, "status": "completed" }""")).Body;
        Assert.True(told.GetProperty("recorded").GetBoolean());
        var retold = (await PostAsync($"/api/trials/{trial}/tell", """{ "attempt": 1, "status": "failed", "error": "late" }""")).Body;
        Assert.False(retold.GetProperty("recorded").GetBoolean());
        Assert.Equal("completed", retold.GetProperty("trialStatus").GetString());
    }

    [Fact]
    public async Task Report_AnswersPrune_WithTheStoredStopReason()
    {
        var (_, lease) = await LeaseAsync(Spec.Replace("\"budget\"", "\"earlyStopping\": { \"kind\": \"patience\", \"patience\": 1 }, \"budget\""));
        var trial = lease.GetProperty("trialId").GetString();
        await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 1, "epoch": 1, "metrics": { "valLoss": 0.5 } }""");
        var (_, answer) = await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 1, "epoch": 2, "metrics": { "valLoss": 0.7 } }""");
        Assert.Equal("prune", answer.GetProperty("decision").GetString());
        Assert.Equal("completed", answer.GetProperty("trialStatus").GetString()); // patience keeps the best epoch: completed
        Assert.Equal("patience", answer.GetProperty("stopReason").GetProperty("rule").GetString());
        var stored = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/trials/{trial}");
        Assert.Equal("patience", stored.GetProperty("stopReason").GetProperty("rule").GetString());
        // A retry of the stopping report gets the same answer.
        var (_, retried) = await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 1, "epoch": 2, "metrics": { "valLoss": 0.7 } }""");
        Assert.Equal("prune", retried.GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData("""{ "epoch": 1, "metrics": { "valLoss": 1 } }""", "attempt")]
    [InlineData("""{ "attempt": 0, "epoch": 1, "metrics": { "valLoss": 1 } }""", "attempt")]
    [InlineData("""{ "attempt": 1, "epoch": "one", "metrics": { "valLoss": 1 } }""", "epoch")]
    [InlineData("""{ "attempt": 1, "epoch": 4, "metrics": { "valLoss": 1 } }""", "epoch")]
    [InlineData("""{ "attempt": 1, "epoch": 1, "metrics": [1, 2] }""", "metrics")]
    [InlineData("""{ "attempt": 1, "epoch": 1, "metrics": { "valLoss": "low" } }""", "metrics.valLoss")]
    [InlineData("""{ "attempt": 1, "epoch": 1, "metrics": { "trainLoss": 1 } }""", "metrics.valLoss")]
    [InlineData("""{ "attempt": 1, "epoch": 1, "metrics": { "valLoss": 1 }, "extra": true }""", "extra")]
    [InlineData("""[1]""", "$")]
    public async Task Report_Returns400Problem_NamingTheBadField(string body, string field)
    {
        var (_, lease) = await LeaseAsync();
        var (status, problem) = await PostAsync($"/api/trials/{lease.GetProperty("trialId").GetString()}/report", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNames(problem, field);
    }

    [Theory]
    [InlineData("""{ "attempt": 1, "status": "pruned" }""", "status")]
    [InlineData("""{ "attempt": 1 }""", "status")]
    [InlineData("""{ "status": "completed" }""", "attempt")]
    public async Task Tell_Returns400Problem_NamingTheBadField(string body, string field)
    {
        var (_, lease) = await LeaseAsync();
        var (status, problem) = await PostAsync($"/api/trials/{lease.GetProperty("trialId").GetString()}/tell", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNames(problem, field);
    }

    [Fact]
    public async Task Report_Returns409Problem_ForAnOtherAttemptOrAGapInEpochs()
    {
        var (_, lease) = await LeaseAsync();
        var trial = lease.GetProperty("trialId").GetString();
        var (status, problem) = await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 2, "epoch": 1, "metrics": { "valLoss": 1 } }""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        AssertNames(problem, "attempt");
        (status, problem) = await PostAsync($"/api/trials/{trial}/report", """{ "attempt": 1, "epoch": 2, "metrics": { "valLoss": 1 } }""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        AssertNames(problem, "epoch");
    }

    [Fact]
    public async Task AskTell_OnAServiceTrainedExperiment_Returns409Problem_NamingTrainer()
    {
        var id = await AskTellEndToEndTests.SubmitAsync(fixture.Client, Hostile.HostileSpecs.Valid().ToJsonString());
        var (status, problem) = await PostAsync($"/api/experiments/{id}/ask", "{}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        AssertNames(problem, "trainer");
    }

    [Fact]
    public async Task Ask_Returns404Problem_ForAnUnknownExperiment_And400_ForABadClientHost()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"/api/experiments/{Guid.NewGuid()}/ask", "{}")).Status);
        var id = await AskTellEndToEndTests.SubmitAsync(fixture.Client, Spec);
        var (status, problem) = await PostAsync($"/api/experiments/{id}/ask", $$"""{ "clientHost": "{{new string('h', 201)}}" }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNames(problem, "clientHost");
    }

    [Fact]
    public async Task AskTell_NeedsAWriteKey()
    {
        var id = await AskTellEndToEndTests.SubmitAsync(fixture.Client, Spec);
        using var anonymous = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/experiments/{id}/ask", Json("{}"))).StatusCode);
        var created = await fixture.Client.PostAsJsonAsync("/api/keys", new { name = "reader", scopes = new[] { "read" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var reader = fixture.Api.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/experiments/{id}/ask", Json("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/trials/{Guid.NewGuid()}/report", Json("{}"))).StatusCode);
    }

    [Theory]
    [InlineData("""{ "name": "x", "trainer": "external", "searchSpace": { "lr": { "type": "uniform", "low": 0, "high": 1 } }, "strategy": { "kind": "six-step" } }""", "strategy.kind")]
    [InlineData("""{ "name": "x", "trainer": "external", "dataset": "", "searchSpace": { "lr": { "type": "uniform", "low": 0, "high": 1 } } }""", "dataset")]
    public async Task ExternalSpec_Returns400Problem_NamingTheBadField(string spec, string field)
    {
        var (status, problem) = await PostAsync("/api/experiments", spec);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNames(problem, field);
    }
    [Theory]
    [InlineData("/api/experiments/{id}/ask", "AskRequest", "AskResponse")]
    [InlineData("/api/trials/{id}/report", "ReportRequest", "ReportResponse")]
    [InlineData("/api/trials/{id}/tell", "TellRequest", "TellResponse")]
    [InlineData("/api/trials/{id}/heartbeat", "HeartbeatRequest", "HeartbeatResponse")]
    public async Task OpenApi_TypesEachRoutesRequestAndResponse_AndAsksForAKey(string route, string request, string response)
    {
        var doc = await fixture.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var post = doc.GetProperty("paths").GetProperty(route).GetProperty("post");
        string Ref(JsonElement content) => content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        Assert.EndsWith("/" + request, Ref(post.GetProperty("requestBody").GetProperty("content")));
        Assert.EndsWith("/" + response, Ref(post.GetProperty("responses").GetProperty("200").GetProperty("content")));
        Assert.True(post.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("401", out _));
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty(request).GetProperty("properties").EnumerateObject().Any());
    }
}
