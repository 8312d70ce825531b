using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Every bad input is a 400 ProblemDetails naming the field; nothing is stored.</summary>
public sealed class CreateExperimentValidationTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private readonly ApiFactory _api = fixture.Api;
    private readonly HttpClient _client = fixture.Client;

    private async Task<int> CountAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/api/experiments")).GetProperty("total").GetInt32();

    private static JsonObject ValidSpec() => JsonNode.Parse("""
        {
          "name": "valid",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [16], "epochs": 2 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "adam"] }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 1 },
          "budget": { "maxTrials": 2, "parallelism": 1 }
        }
        """)!.AsObject();

    private async Task<JsonElement> PostExpecting400(string body)
    {
        var response = await _client.PostAsync("/api/experiments", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("errors");
    }

    private async Task AssertFieldRejected(Action<JsonObject> mutate, string field)
    {
        var before = await CountAsync();
        var spec = ValidSpec();
        mutate(spec);
        var errors = await PostExpecting400(spec.ToJsonString());
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenTrainerIsUnknown() =>
        AssertFieldRejected(s => s["trainer"] = "tensorflow", "trainer");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenDatasetIsUnknown() =>
        AssertFieldRejected(s => s["dataset"] = "imagenet", "dataset");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenSearchSpaceIsEmpty() =>
        AssertFieldRejected(s => s["searchSpace"] = new JsonObject(), "searchSpace");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenLowIsNotBelowHigh() =>
        AssertFieldRejected(s => s["searchSpace"]!["lr"] = JsonNode.Parse("""{"type":"uniform","low":0.5,"high":0.5}"""), "searchSpace.lr.low");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenLogScaleLowIsNotPositive() =>
        AssertFieldRejected(s => s["searchSpace"]!["lr"] = JsonNode.Parse("""{"type":"logUniform","low":0,"high":0.1}"""), "searchSpace.lr.low");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenBudgetIsNegative() =>
        AssertFieldRejected(s => s["budget"]!["maxTrials"] = -3, "budget.maxTrials");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenParameterNameIsUnknown() =>
        AssertFieldRejected(s => s["searchSpace"]!["learningRateTypo"] = JsonNode.Parse("""{"type":"uniform","low":0,"high":1}"""), "searchSpace.learningRateTypo");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenFieldHasWrongJsonType() =>
        AssertFieldRejected(s => s["budget"]!["parallelism"] = "two", "budget.parallelism");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenTopLevelFieldIsUnknown() =>
        AssertFieldRejected(s => s["command"] = "rm -rf /", "command");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenTheTrainerDoesNotReportTheObjective() =>
        AssertFieldRejected(s => s["objective"]!["metric"] = "bleu", "objective.metric");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenAnObjectiveIsRepeated() =>
        AssertFieldRejected(s =>
        {
            s.Remove("objective");
            s["objectives"] = JsonNode.Parse("""[{"metric":"valAccuracy"},{"metric":"valAccuracy"}]""");
        }, "objectives[1].metric");

    [Fact]
    public Task PostExperiment_Returns400Problem_WhenSeveralObjectivesMeetAsha() =>
        AssertFieldRejected(s =>
        {
            s.Remove("objective");
            s["objectives"] = JsonNode.Parse("""[{"metric":"valAccuracy"},{"metric":"parameters"}]""");
            s["earlyStopping"] = JsonNode.Parse("""{"kind":"asha"}""");
        }, "earlyStopping.kind");

    [Fact]
    public async Task PostExperiment_AcceptsSeveralObjectives_AndAnswersThemWithAnEmptyFront()
    {
        var spec = ValidSpec();
        spec.Remove("objective");
        spec["objectives"] = JsonNode.Parse("""[{"metric":"valAccuracy","direction":"maximize"},{"metric":"seconds"}]""");
        var response = await _client.PostAsJsonAsync("/api/experiments", spec);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([("valAccuracy", "maximize"), ("seconds", "minimize")], body.GetProperty("objectives").EnumerateArray()
            .Select(o => (o.GetProperty("metric").GetString(), o.GetProperty("direction").GetString())));
        Assert.Equal("valAccuracy", body.GetProperty("objective").GetProperty("metric").GetString());
        Assert.Equal(0, body.GetProperty("front").GetArrayLength());
    }

    [Fact]
    public async Task PostExperiment_Returns400Problem_WhenBodyIsNotJson()
    {
        var errors = await PostExpecting400("{ not json");
        Assert.True(errors.TryGetProperty("$", out _));
    }

    [Fact]
    public async Task PostExperiment_Returns400Problem_WhenBodyIsOverTheSizeLimit()
    {
        var spec = ValidSpec();
        spec["name"] = new string('x', 300 * 1024);
        var errors = await PostExpecting400(spec.ToJsonString());
        Assert.Contains("larger than", errors.GetProperty("$")[0].GetString());
    }

    [Fact]
    public async Task PostExperiment_NamesEveryBadField_InOneResponse()
    {
        var spec = ValidSpec();
        spec["dataset"] = "nope";
        spec["budget"]!["parallelism"] = 0;
        spec["searchSpace"]!["lr"] = JsonNode.Parse("""{"type":"logUniform","low":-1,"high":0.1}""");
        var errors = await PostExpecting400(spec.ToJsonString());
        Assert.True(errors.TryGetProperty("dataset", out _));
        Assert.True(errors.TryGetProperty("budget.parallelism", out _));
        Assert.True(errors.TryGetProperty("searchSpace.lr.low", out _));
    }

    [Fact]
    public async Task PostExperiment_Returns401Problem_WithoutApiKey()
    {
        using var anonymous = _api.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/experiments", ValidSpec());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostExperiment_Returns201WithLocation_WhenSpecIsValid()
    {
        var response = await _client.PostAsJsonAsync("/api/experiments", ValidSpec());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/experiments/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("valid", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task PostExperiment_ReturnsTheSameExperiment_WhenIdempotencyKeyRepeats()
    {
        var key = Guid.NewGuid().ToString();
        var before = await CountAsync();
        async Task<string> Post()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = JsonContent.Create(ValidSpec()) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await _client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        Assert.Equal(await Post(), await Post());
        Assert.Equal(before + 1, await CountAsync());
    }

    [Theory]
    [InlineData("/api/experiments?page=0", "page")]
    [InlineData("/api/experiments?status=sleeping", "status")]
    [InlineData("/api/experiments?pageSize=100000", "pageSize")]
    public async Task ListExperiments_Returns400Problem_WhenQueryIsBad(string url, string field)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetExperiment_Returns404Problem_WhenUnknown()
    {
        var response = await _client.GetAsync($"/api/experiments/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetExperiment_Returns400Or404_NeverA500_ForAMalformedId()
    {
        var response = await _client.GetAsync("/api/experiments/not-a-guid");
        Assert.True((int)response.StatusCode is 400 or 404, response.StatusCode.ToString());
    }
}
