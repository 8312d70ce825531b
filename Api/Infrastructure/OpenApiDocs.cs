using System.Text.Json.Nodes;
using HpSearch.Api.Experiments;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HpSearch.Api;

/// <summary>Swashbuckle: the OpenAPI document at /swagger/v1/swagger.json and the UI at /swagger. Typed bodies
/// (<see cref="OpenApiSchemas"/>), the X-Api-Key scheme per operation (<see cref="OpenApiSecurity"/>), example specs for
/// every strategy and stopping rule, the health routes (which ASP.NET's API explorer does not list), and the serving
/// address as the document's server.</summary>
public static class OpenApiDocs
{
    public const string DocumentUrl = "/swagger/v1/swagger.json";

    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services) =>
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new()
            {
                Title = "HpSearch", Version = "v1",
                Description = "Hyperparameter search as a service. Writes need a key in the X-Api-Key header; reads are open unless "
                    + $"the deployment sets HpSearch:ReadsNeedKey. An experiment spec's JSON Schema: {ExperimentSpecSchema.Url}.",
            });
            o.AddSecurityDefinition(OpenApiSecurity.SchemeId, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Auth.ApiKeyAuth.Header,
                Description = "An API key: the deployment's configured key (admin), or one created with POST /api/keys (read, write or admin).",
            });
            o.OperationFilter<OpenApiSecurity>();
            o.OperationFilter<ExamplesFilter>();
            o.SchemaFilter<OpenApiSchemas>();
            o.DocumentFilter<HealthAndTagsFilter>();
        });

    public static WebApplication UseOpenApiDocs(this WebApplication app)
    {
        // The address the document was fetched from is the server a client should call.
        app.UseSwagger(o => o.PreSerializeFilters.Add((doc, request) =>
            doc.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host}{request.PathBase}", Description = "this service" }]));
        app.UseSwaggerUI(o => o.DocumentTitle = "HpSearch API");
        return app;
    }

    /// <summary>The example specs on POST /api/experiments (one per strategy and stopping rule), and the export's second
    /// format (the endpoint metadata holds one content type per status).</summary>
    private sealed class ExamplesFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.OperationId == "ExportExperiment" && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse export)
            {
                export.Description = "Every trial: a CSV row each (format=csv, the default) or a JSON array (format=json).";
                export.Content ??= new Dictionary<string, IOpenApiMediaType>();
                export.Content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
            if (context.ApiDescription.HttpMethod != "POST" || context.ApiDescription.RelativePath?.TrimEnd('/') != "api/experiments") return;
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType concrete)
                concrete.Examples = SpecExamples.All.ToDictionary(e => e.Name,
                    e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = JsonNode.Parse(e.Json) });
        }
    }

    private sealed class HealthAndTagsFilter : IDocumentFilter
    {
        private static readonly Dictionary<string, string> Tags = new()
        {
            ["Experiments"] = "Submit, list, read, cancel and export sweeps; live updates.",
            ["Trials"] = "One trial with its per-epoch metrics.",
            ["Schedules"] = "Cron sweeps: each firing submits the template as an experiment.",
            ["Workers"] = "Worker nodes, their pools and what each slot runs.",
            ["Keys"] = "API keys with scopes (admin), and the dashboard's read session.",
            ["Ask/tell"] = "Clients train the trials of an experiment with trainer external: ask, report each epoch, tell the outcome.",
            ["Schema"] = "Published JSON Schemas.",
            ["Health"] = "Liveness and readiness probes.",
        };

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Paths["/health/live"] = Health("GetLiveness", "Liveness: the process answers.");
            document.Paths["/health/ready"] = Health("GetReadiness", "Readiness: PostgreSQL answers (SELECT 1 within 5 s) and a Hangfire server of this node has a recent heartbeat (503 otherwise).");
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        }

        private static OpenApiPathItem Health(string operationId, string summary) => new()
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = operationId,
                    Summary = summary,
                    Tags = new HashSet<OpenApiTagReference> { new("Health") },
                    Security = [],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "Healthy" },
                        ["503"] = new OpenApiResponse { Description = "Unhealthy" },
                    },
                },
            },
        };
    }
}
