using HpSearch.Api.Artifacts;
using OpenTelemetry.Metrics;
using HpSearch.Api;
using HpSearch.Api.AskTell;
using HpSearch.Api.Auth;
using HpSearch.Api.Experiments;
using HpSearch.Api.Health;
using HpSearch.Api.Keys;
using HpSearch.Api.Nodes;
using HpSearch.Api.Operations;
using HpSearch.Api.Schedules;
using HpSearch.Api.Trials;
using HpSearch.Workers;
using HpSearch.Workers.Jobs;
using HpSearch.Workers.Operations;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddWorkers(builder.Configuration);
builder.Services.AddSingleton(ApiKeyAuth.Load(builder.Configuration));
builder.Services.AddRateLimits();
// One LISTEN connection per node feeds every live-update stream (decision 0019).
builder.Services.AddSingleton<HpSearch.Api.Live.ChangeFeed>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<HpSearch.Api.Live.ChangeFeed>());
builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
    .Validate(o => o.IsValid, "Schedules:MinIntervalSeconds must be at least 1.").ValidateOnStart();
// Importance reports, one entry per experiment state (bounded: old states fall out).
builder.Services.AddMemoryCache(o => o.SizeLimit = 1000);
// PostgreSQL's check is the maintained one (AspNetCore.HealthChecks.NpgSql: opens a connection, runs SELECT 1); the
// scheduler's is ours, since no package knows Hangfire's server heartbeats.
builder.Services.AddHealthChecks()
    .AddNpgSql(sp => sp.GetRequiredService<IConfiguration>().GetConnectionString("HpSearch")!,
        name: "postgresql", tags: ["ready"], timeout: TimeSpan.FromSeconds(5))
    .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
builder.Logging.AddJsonLogsWhenAsked(builder.Configuration);
// Metrics (OpenTelemetry): request latency, the runtime, and the service's own meter (epochs, stopping decisions by
// rule, trials finished by status, open trials by pool, queue depth and wait), scraped by Prometheus at /metrics.
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddAspNetCoreInstrumentation()
    .AddRuntimeInstrumentation()
    .AddMeter(HpSearch.Persistence.Observability.ServiceMetrics.MeterName)
    .AddPrometheusExporter());
// Traces of a trial from dispatch to its epoch writes, and of requests, over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
builder.Services.AddTracingWhenExported(builder.Configuration, tracing => tracing.AddAspNetCoreInstrumentation());
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddOpenApiDocs();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

var app = builder.Build();
// The gauges register their callbacks when first resolved.
app.Services.GetRequiredService<OperationsGauges>();

// A request the framework cannot bind (a query number like 1e19, a body over Kestrel's limit) is the client's error.
app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : 500 });
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseOpenApiDocs();
app.UseReadApiKey();
app.UseRateLimiter();
app.MapJobsDashboard();

app.MapExperimentsApi();
app.MapTrialsApi();
app.MapArtifactsApi();
app.MapAskTellApi();
app.MapSchedulesApi();
app.MapWorkersApi();
app.MapKeysApi();
app.MapReadSession();
app.MapExperimentSpecSchema();
app.MapHealthEndpoints();
app.MapPrometheusScrapingEndpoint("/metrics");
// Unknown /api routes are 404 problems; every other unknown path is the dashboard (it routes on the client).
// A write with a body that is not JSON lands here too (the JSON endpoints do not match it): 415, not 404.
app.MapFallback("/api/{**path}", (HttpRequest request, string? path) =>
    HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
        ? request.HasJsonContentType() ? TypedResults.Problem(Problems.NotFound($"no API route matches {request.Method} /api/{path}.")) : Problems.UnsupportedMediaType()
        : TypedResults.Problem(Problems.NotFound($"no API route matches /api/{path}.")));
app.MapFallbackToFile("index.html");

app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
