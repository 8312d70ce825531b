using HpSearch.Api;
using HpSearch.Api.Auth;
using HpSearch.Api.Experiments;
using HpSearch.Api.Health;
using HpSearch.Api.Nodes;
using HpSearch.Api.Operations;
using HpSearch.Api.Schedules;
using HpSearch.Api.Trials;
using HpSearch.Workers;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddWorkers(builder.Configuration);
builder.Services.AddSingleton(ApiKeyAuth.Load(builder.Configuration));
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("postgresql", tags: ["ready"])
    .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddOpenApiDocs();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseOpenApiDocs();
app.UseReadApiKey();
app.MapJobsDashboard();

app.MapExperimentsApi();
app.MapTrialsApi();
app.MapSchedulesApi();
app.MapWorkersApi();
app.MapHealthEndpoints();
// Unknown /api routes are 404 problems; every other unknown path is the dashboard (it routes on the client).
app.MapFallback("/api/{**path}", (string? path) => TypedResults.Problem(Problems.NotFound($"no API route matches /api/{path}.")));
app.MapFallbackToFile("index.html");

app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
