using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace HpSearch.Client;

/// <summary>The whole HpSearch REST API, one method per operation of its OpenAPI document (<see cref="ApiOperationAttribute"/>).
/// Errors throw <see cref="HpSearchApiException"/> with the service's ProblemDetails.</summary>
public sealed class HpSearchClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Calls the service through <paramref name="http"/>, whose BaseAddress (and key header, if any) the caller set.</summary>
    public HpSearchClient(HttpClient http)
    {
        _http = http;
        _ownsHttp = false;
    }

    /// <summary>A client of the service at <paramref name="baseUrl"/>, sending <paramref name="apiKey"/> when given.</summary>
    public HpSearchClient(Uri baseUrl, string? apiKey, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        _ownsHttp = true;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    // ---------------------------------------------------------------- experiments

    /// <summary>Submits a spec (any JSON the service accepts; see its schema at /api/schema/experiment-spec.json).</summary>
    [ApiOperation("CreateExperiment", "POST", "/api/experiments")]
    public async Task<Experiment> CreateExperimentAsync(JsonElement spec, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = JsonContent(spec.GetRawText()) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await SendAsync<Experiment>(request, cancellationToken);
    }

    [ApiOperation("ListExperiments", "GET", "/api/experiments")]
    public Task<Paged<Experiment>> ListExperimentsAsync(string? status = null, int? page = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        ListExperimentsAsync(new ExperimentQuery(Status: status), page, pageSize, cancellationToken);

    /// <summary>Experiments searched and sorted by the service (see <see cref="ExperimentQuery"/>).</summary>
    public Task<Paged<Experiment>> ListExperimentsAsync(ExperimentQuery query, int? page = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        var parts = new List<(string, string?)> { ("status", query.Status), ("q", query.Search), ("dataset", query.Dataset), ("trainer", query.Trainer),
            ("sort", query.Sort), ("order", query.Order), ("page", page?.ToString()), ("pageSize", pageSize?.ToString()) };
        foreach (var tag in query.Tags ?? []) parts.Add(("tag", tag));
        return GetAsync<Paged<Experiment>>("/api/experiments" + Query([.. parts]), cancellationToken);
    }

    /// <summary>Sets the tags (all of them; empty removes every tag), the note (empty removes it), or both; null leaves one as it is.</summary>
    [ApiOperation("EditExperiment", "PATCH", "/api/experiments/{id}")]
    public Task<Experiment> EditExperimentAsync(Guid id, IReadOnlyList<string>? tags = null, string? note = null, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object?>();
        if (tags is not null) body["tags"] = tags;
        if (note is not null) body["note"] = note;
        return SendAsync<Experiment>(new HttpRequestMessage(HttpMethod.Patch, $"/api/experiments/{id}") { Content = JsonContent(JsonSerializer.Serialize(body, Json)) },
            cancellationToken);
    }

    /// <summary>Resumes a cancelled or failed experiment: its cancelled trials and the rest of its budget run.</summary>
    [ApiOperation("ResumeExperiment", "POST", "/api/experiments/{id}/resume")]
    public Task<Experiment> ResumeExperimentAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Experiment>(new HttpRequestMessage(HttpMethod.Post, $"/api/experiments/{id}/resume"), cancellationToken);

    /// <summary>Runs the experiment's failed trials again (same parameters and seed, a new attempt).</summary>
    [ApiOperation("RetryFailedTrials", "POST", "/api/experiments/{id}/retry")]
    public Task<Experiment> RetryFailedTrialsAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Experiment>(new HttpRequestMessage(HttpMethod.Post, $"/api/experiments/{id}/retry"), cancellationToken);

    /// <summary>Raises a finished random or TPE experiment's trial budget to <paramref name="maxTrials"/>.</summary>
    [ApiOperation("ExtendExperiment", "POST", "/api/experiments/{id}/extend")]
    public Task<Experiment> ExtendExperimentAsync(Guid id, int maxTrials, CancellationToken cancellationToken = default) =>
        SendAsync<Experiment>(new HttpRequestMessage(HttpMethod.Post, $"/api/experiments/{id}/extend")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { maxTrials }, Json)),
        }, cancellationToken);

    [ApiOperation("GetExperiment", "GET", "/api/experiments/{id}")]
    public Task<Experiment> GetExperimentAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Experiment>($"/api/experiments/{id}", cancellationToken);

    /// <summary>Trials, paged; <paramref name="sort"/> is number (default), value (best first), status or duration, ties by
    /// number; <paramref name="order"/> asc or desc reverses it.</summary>
    [ApiOperation("ListTrials", "GET", "/api/experiments/{id}/trials")]
    public Task<Paged<Trial>> ListTrialsAsync(Guid id, string? status = null, string? sort = null, int? page = null, int? pageSize = null,
        CancellationToken cancellationToken = default, string? order = null) =>
        GetAsync<Paged<Trial>>($"/api/experiments/{id}/trials" + Query(("status", status), ("sort", sort), ("order", order), ("page", page?.ToString()),
            ("pageSize", pageSize?.ToString())), cancellationToken);

    /// <summary>The trials numbered above <paramref name="after"/> (at most <paramref name="limit"/>, up to 20,000) as columns:
    /// what the dashboard's charts draw, a fraction of the trials pages' size.</summary>
    [ApiOperation("GetTrialColumns", "GET", "/api/experiments/{id}/trials/columns")]
    public Task<TrialColumns> GetTrialColumnsAsync(Guid id, int? after = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync<TrialColumns>($"/api/experiments/{id}/trials/columns" + Query(("after", after?.ToString()), ("limit", limit?.ToString())), cancellationToken);

    /// <summary>Learning curves: of the <paramref name="top"/> trials by objective, of the trials in <paramref name="ids"/>, or a
    /// page by number; <paramref name="maxPoints"/> downsamples each curve.</summary>
    [ApiOperation("GetCurves", "GET", "/api/experiments/{id}/curves")]
    public Task<Curves> GetCurvesAsync(Guid id, int? page = null, int? pageSize = null, CancellationToken cancellationToken = default,
        int? top = null, IReadOnlyCollection<Guid>? ids = null, int? maxPoints = null) =>
        GetAsync<Curves>($"/api/experiments/{id}/curves" + Query(("page", page?.ToString()), ("pageSize", pageSize?.ToString()),
            ("top", top?.ToString()), ("ids", ids is null ? null : string.Join(',', ids)), ("maxPoints", maxPoints?.ToString())), cancellationToken);

    [ApiOperation("GetImportance", "GET", "/api/experiments/{id}/importance")]
    public Task<Importance> GetImportanceAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Importance>($"/api/experiments/{id}/importance", cancellationToken);

    [ApiOperation("CancelExperiment", "POST", "/api/experiments/{id}/cancel")]
    public Task<Experiment> CancelExperimentAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Experiment>(new HttpRequestMessage(HttpMethod.Post, $"/api/experiments/{id}/cancel"), cancellationToken);

    /// <summary>Every trial as CSV or JSON text, as the service writes it.</summary>
    [ApiOperation("ExportExperiment", "GET", "/api/experiments/{id}/export")]
    public async Task<string> ExportExperimentAsync(Guid id, ExportFormat format, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"/api/experiments/{id}/export?format={format.ToString().ToLowerInvariant()}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The experiment's live events (server-sent events) until the stream ends or is cancelled.</summary>
    [ApiOperation("ExperimentEvents", "GET", "/api/experiments/{id}/events")]
    public async IAsyncEnumerable<ServerEvent> StreamEventsAsync(Guid id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/experiments/{id}/events");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null) yield return new ServerEvent(name, data.ToString());
                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
        }
    }

    // ---------------------------------------------------------------- trials, workers

    [ApiOperation("GetTrial", "GET", "/api/trials/{id}")]
    public Task<Trial> GetTrialAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Trial>($"/api/trials/{id}", cancellationToken);

    // ---------------------------------------------------------------- artifacts

    [ApiOperation("ListExperimentArtifacts", "GET", "/api/experiments/{id}/artifacts")]
    public Task<IReadOnlyList<Artifact>> ListExperimentArtifactsAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Artifact>>($"/api/experiments/{id}/artifacts", cancellationToken);

    [ApiOperation("ListTrialArtifacts", "GET", "/api/trials/{id}/artifacts")]
    public Task<IReadOnlyList<Artifact>> ListTrialArtifactsAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Artifact>>($"/api/trials/{id}/artifacts", cancellationToken);

    /// <summary>The bytes of one kept file (<see cref="Artifact.Name"/> of <see cref="ListTrialArtifactsAsync"/>).</summary>
    [ApiOperation("DownloadArtifact", "GET", "/api/trials/{id}/artifacts/{name}")]
    public async Task<byte[]> DownloadArtifactAsync(Guid id, string name, CancellationToken cancellationToken = default)
    {
        var path = string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        using var response = await _http.GetAsync($"/api/trials/{id}/artifacts/{path}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    [ApiOperation("ListWorkers", "GET", "/api/workers")]
    public Task<IReadOnlyList<WorkerNode>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<WorkerNode>>("/api/workers", cancellationToken);

    // ---------------------------------------------------------------- ask/tell (trainer "external")

    /// <summary>Leases the experiment's next trial to this client; <see cref="AskResult.Trial"/> is null when none is free now.</summary>
    [ApiOperation("AskTrial", "POST", "/api/experiments/{id}/ask")]
    public Task<AskResult> AskTrialAsync(Guid id, string? clientHost = null, CancellationToken cancellationToken = default) =>
        SendAsync<AskResult>(new HttpRequestMessage(HttpMethod.Post, $"/api/experiments/{id}/ask")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { clientHost }, Json)),
        }, cancellationToken);

    /// <summary>Reports one epoch of the leased attempt; the answer says whether to go on (<c>continue</c>) or stop.</summary>
    [ApiOperation("ReportEpoch", "POST", "/api/trials/{id}/report")]
    public Task<ReportResult> ReportEpochAsync(Guid trialId, int attempt, int epoch, IReadOnlyDictionary<string, double?> metrics,
        CancellationToken cancellationToken = default) =>
        SendAsync<ReportResult>(new HttpRequestMessage(HttpMethod.Post, $"/api/trials/{trialId}/report")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { attempt, epoch, metrics }, Json)),
        }, cancellationToken);

    /// <summary>Tells the outcome of the leased attempt: completed, failed or diverged.</summary>
    [ApiOperation("TellOutcome", "POST", "/api/trials/{id}/tell")]
    public Task<TellResult> TellOutcomeAsync(Guid trialId, int attempt, string status, string? error = null, CancellationToken cancellationToken = default) =>
        SendAsync<TellResult>(new HttpRequestMessage(HttpMethod.Post, $"/api/trials/{trialId}/tell")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { attempt, status, error }, Json)),
        }, cancellationToken);

    /// <summary>Renews the lease of an attempt whose epoch lasts longer than the lease.</summary>
    [ApiOperation("Heartbeat", "POST", "/api/trials/{id}/heartbeat")]
    public Task<HeartbeatResult> HeartbeatAsync(Guid trialId, int attempt, CancellationToken cancellationToken = default) =>
        SendAsync<HeartbeatResult>(new HttpRequestMessage(HttpMethod.Post, $"/api/trials/{trialId}/heartbeat")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { attempt }, Json)),
        }, cancellationToken);

    // ---------------------------------------------------------------- schedules

    [ApiOperation("CreateSchedule", "POST", "/api/schedules")]
    public Task<Schedule> CreateScheduleAsync(ScheduleRequest body, CancellationToken cancellationToken = default) =>
        SendAsync<Schedule>(new HttpRequestMessage(HttpMethod.Post, "/api/schedules") { Content = JsonContent(Serialize(body)) }, cancellationToken);

    [ApiOperation("ListSchedules", "GET", "/api/schedules")]
    public Task<IReadOnlyList<Schedule>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Schedule>>("/api/schedules", cancellationToken);

    [ApiOperation("GetSchedule", "GET", "/api/schedules/{id}")]
    public Task<Schedule> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<Schedule>($"/api/schedules/{id}", cancellationToken);

    [ApiOperation("UpdateSchedule", "PUT", "/api/schedules/{id}")]
    public Task<Schedule> UpdateScheduleAsync(Guid id, ScheduleRequest body, CancellationToken cancellationToken = default) =>
        SendAsync<Schedule>(new HttpRequestMessage(HttpMethod.Put, $"/api/schedules/{id}") { Content = JsonContent(Serialize(body)) }, cancellationToken);

    [ApiOperation("DeleteSchedule", "DELETE", "/api/schedules/{id}")]
    public Task DeleteScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/schedules/{id}"), cancellationToken);

    // ---------------------------------------------------------------- keys, session

    [ApiOperation("CreateKey", "POST", "/api/keys")]
    public Task<CreatedApiKey> CreateKeyAsync(string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedApiKey>(new HttpRequestMessage(HttpMethod.Post, "/api/keys")
        {
            Content = JsonContent(JsonSerializer.Serialize(new { name, scopes }, Json)),
        }, cancellationToken);

    [ApiOperation("ListKeys", "GET", "/api/keys")]
    public Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ApiKeyInfo>>("/api/keys", cancellationToken);

    [ApiOperation("RevokeKey", "DELETE", "/api/keys/{id}")]
    public Task RevokeKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/keys/{id}"), cancellationToken);

    /// <summary>Starts the dashboard's read session: the service sets a cookie on this client's handler.</summary>
    [ApiOperation("CreateReadSession", "POST", "/api/session")]
    public Task CreateReadSessionAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/session"), cancellationToken);

    // ---------------------------------------------------------------- schema, health

    [ApiOperation("GetExperimentSpecSchema", "GET", "/api/schema/experiment-spec.json")]
    public Task<JsonElement> GetExperimentSpecSchemaAsync(CancellationToken cancellationToken = default) =>
        GetAsync<JsonElement>("/api/schema/experiment-spec.json", cancellationToken);

    [ApiOperation("GetLiveness", "GET", "/health/live")]
    public Task<Health> GetLivenessAsync(CancellationToken cancellationToken = default) => GetHealthAsync("/health/live", cancellationToken);

    /// <summary>Readiness; an unhealthy service answers 503 with the same body, returned here rather than thrown.</summary>
    [ApiOperation("GetReadiness", "GET", "/health/ready")]
    public Task<Health> GetReadinessAsync(CancellationToken cancellationToken = default) => GetHealthAsync("/health/ready", cancellationToken);

    // ---------------------------------------------------------------- plumbing

    private async Task<Health> GetHealthAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable) await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<Health>(Json, cancellationToken))!;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        }
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string title = response.ReasonPhrase ?? response.StatusCode.ToString();
        string? detail = null;
        var errors = new Dictionary<string, string[]>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) title = t.GetString()!;
            if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                foreach (var field in e.EnumerateObject())
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString()).ToArray() : [field.Value.ToString()];
        }
        catch (JsonException)
        {
            detail = text.Length > 500 ? text[..500] : text;
        }
        throw new HpSearchApiException(response.StatusCode, title, detail, errors);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions(Json)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    });

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
