using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HpSearch.Api;

/// <summary>Swashbuckle: the OpenAPI document at /swagger/v1/swagger.json and the UI at /swagger, with an example spec
/// on POST /api/experiments and the health routes (which ASP.NET's API explorer does not list).</summary>
public static class OpenApiDocs
{
    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services) =>
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "HpSearch", Version = "v1", Description = "Hyperparameter search as a service. Writes need the X-Api-Key header." });
            o.OperationFilter<ExampleSpecFilter>();
            o.DocumentFilter<HealthPathsFilter>();
        });

    public static WebApplication UseOpenApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "HpSearch API");
        return app;
    }

    /// <summary>DESIGN.md's example sweep, shown as the request body of POST /api/experiments.</summary>
    public const string ExampleSpec = """
        {
          "name": "fashion-lr-wd",
          "trainer": "builtin",
          "dataset": "fashion-mnist",
          "params": { "model": "mlp", "hidden": [256, 256], "activation": "relu", "init": "he", "epochs": 20 },
          "searchSpace": {
            "lr":          { "type": "logUniform", "low": 1e-6, "high": 1e-2 },
            "weightDecay": { "type": "logUniform", "low": 1e-8, "high": 1e-4 },
            "optimizer":   { "type": "categorical", "values": ["sgd", "momentum", "adam"] },
            "dropout":     { "type": "uniform", "low": 0.0, "high": 0.5 }
          },
          "objective":     { "metric": "valAccuracy", "direction": "maximize" },
          "strategy":      { "kind": "random", "seed": 42 },
          "budget":        { "maxTrials": 30, "parallelism": 2, "maxFailedTrials": 5 },
          "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 3, "patience": 3 }
        }
        """;

    private sealed class ExampleSpecFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.HttpMethod != "POST" || context.ApiDescription.RelativePath?.TrimEnd('/') != "api/experiments") return;
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
                if (media is OpenApiMediaType concrete) concrete.Example = JsonNode.Parse(ExampleSpec);
        }
    }

    private sealed class HealthPathsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Paths["/health/live"] = Health("Liveness: the process answers.");
            document.Paths["/health/ready"] = Health("Readiness: PostgreSQL answers and the scheduler runs (503 otherwise).");
        }

        private static OpenApiPathItem Health(string summary) => new()
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = summary,
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
