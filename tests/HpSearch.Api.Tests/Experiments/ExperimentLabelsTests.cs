using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Tags and a note: given in the spec at submit, edited with PATCH by a write key, every bad value a 400 naming it.</summary>
public sealed class ExperimentLabelsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private static string Spec(string extra = "") => $$"""
        {
          "name": "labels",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [8], "epochs": 1 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } },
          "budget": { "maxTrials": 1 }{{extra}}
        }
        """;

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private async Task<JsonElement> PatchAsync(string id, string body, HttpStatusCode expected)
    {
        var response = await fixture.Client.PatchAsync($"/api/experiments/{id}", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task PostExperiment_KeepsTheSpecsTagsAndNote()
    {
        var id = await Polling.SubmitAsync(fixture.Client, Spec(""", "tags": ["lr-sweep", "baseline"], "note": "first try\nwith two lines" """));
        var e = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
        Assert.Equal(["lr-sweep", "baseline"], e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("first try\nwith two lines", e.GetProperty("note").GetString());
    }

    [Fact]
    public async Task PatchExperiment_ReplacesWhatItNames_AndKeepsWhatItLeavesOut()
    {
        var id = await Polling.SubmitAsync(fixture.Client, Spec(""", "tags": ["a"], "note": "kept" """));
        var e = await PatchAsync(id, """{ "tags": ["b", "c:d"] }""", HttpStatusCode.OK);
        Assert.Equal(["b", "c:d"], e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("kept", e.GetProperty("note").GetString());

        e = await PatchAsync(id, """{ "note": "changed" }""", HttpStatusCode.OK);
        Assert.Equal(["b", "c:d"], e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("changed", e.GetProperty("note").GetString());

        e = await PatchAsync(id, """{ "tags": [], "note": null }""", HttpStatusCode.OK);
        Assert.Empty(e.GetProperty("tags").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("note").ValueKind);
        // The stored spec stays as submitted (an Idempotency-Key replay compares it).
        Assert.Equal("kept", e.GetProperty("spec").GetProperty("note").GetString());
    }

    [Fact]
    public async Task PatchExperiment_Returns403_ForAReadKey_AndChangesNothing()
    {
        var id = await Polling.SubmitAsync(fixture.Client, Spec(""", "tags": ["mine"] """));
        var created = await fixture.Client.PostAsJsonAsync("/api/keys", new { name = "reader", scopes = new[] { "read" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var reader = fixture.Api.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", key);

        var refused = await reader.PatchAsync($"/api/experiments/{id}", Json("""{ "tags": ["theirs"] }"""));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var e = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
        Assert.Equal(["mine"], e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("""{ "tags": ["ok", "has space"] }""", "tags[1]")]
    [InlineData("""{ "tags": ["-leading"] }""", "tags[0]")]
    [InlineData("""{ "tags": ["x", "x"] }""", "tags[1]")]
    [InlineData("""{ "tags": [""] }""", "tags[0]")]
    [InlineData("""{ "tags": [7] }""", "tags[0]")]
    [InlineData("""{ "tags": "one" }""", "tags")]
    [InlineData("""{ "tags": null }""", "tags")]
    [InlineData("""{ "tags": ["t1","t2","t3","t4","t5","t6","t7","t8","t9","t10","t11","t12","t13","t14","t15","t16","t17","t18","t19","t20","t21"] }""", "tags")]
    [InlineData("""{ "note": 3 }""", "note")]
    [InlineData("""{ "note": "bell\u0007" }""", "note")]
    [InlineData("""{ "name": "renamed" }""", "name")]
    [InlineData("""{ }""", "$")]
    [InlineData("""[ "tags" ]""", "$")]
    public async Task PatchExperiment_Returns400NamingTheField_ForEachBadInput(string body, string field)
    {
        var id = await Polling.SubmitAsync(fixture.Client, Spec());
        var problem = await PatchAsync(id, body, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task PatchExperiment_Returns400NamingNote_WhenItIsTooLong()
    {
        var id = await Polling.SubmitAsync(fixture.Client, Spec());
        var problem = await PatchAsync(id, JsonSerializer.Serialize(new { note = new string('n', 4001) }), HttpStatusCode.BadRequest);
        Assert.Contains("4000", problem.GetProperty("errors").GetProperty("note")[0].GetString());
        await PatchAsync(id, JsonSerializer.Serialize(new { note = new string('n', 4000) }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task PatchExperiment_Returns404Problem_ForAnUnknownExperiment()
    {
        var problem = await PatchAsync(Guid.NewGuid().ToString(), """{ "note": "x" }""", HttpStatusCode.NotFound);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(""", "tags": ["bad tag"]""", "tags[0]")]
    [InlineData(""", "tags": {}""", "tags")]
    [InlineData(""", "note": false""", "note")]
    public async Task PostExperiment_Returns400NamingTheField_WhenATagOrTheNoteIsBad(string extra, string field)
    {
        var response = await fixture.Client.PostAsync("/api/experiments", Json(Spec(extra)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
