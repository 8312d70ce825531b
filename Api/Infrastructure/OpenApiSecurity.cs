using HpSearch.Api.Auth;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace HpSearch.Api;

/// <summary>Puts the X-Api-Key scheme on each operation as the service enforces it: routes with an
/// <see cref="ApiKeyRequirement"/> need a key with that scope; other /api reads take a key optionally (required when the
/// deployment sets HpSearch:ReadsNeedKey); the published schema and the health probes are anonymous.</summary>
public sealed class OpenApiSecurity : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    /// <summary>Extension naming the scope an operation needs (read, write, admin).</summary>
    public const string ScopeExtension = "x-hpsearch-scope";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var path = "/" + (context.ApiDescription.RelativePath ?? "");
        var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] };
        var required = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequirement>().FirstOrDefault();
        if (required is not null)
        {
            operation.Security = [key];
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[ScopeExtension] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(required.Scope));
            operation.Description = Append(operation.Description, $"Needs an API key with the '{required.Scope}' scope.");
        }
        else if (path.StartsWith("/api/", StringComparison.Ordinal) && !IsAnonymous(path) && context.ApiDescription.HttpMethod == "GET")
        {
            operation.Security = [key, new OpenApiSecurityRequirement()];
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[ScopeExtension] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(ApiScopes.Read));
            operation.Description = Append(operation.Description,
                "Open, unless the deployment sets HpSearch:ReadsNeedKey: then a key with the 'read' scope or the dashboard's read session.");
            operation.Responses ??= new OpenApiResponses();
            if (!operation.Responses.ContainsKey("401"))
                operation.Responses["401"] = Problem(context, "No valid API key, when reads need one.");
        }
        else operation.Security = [];
    }

    /// <summary>Routes under /api that never need a key (UseReadApiKey lets them through).</summary>
    public static bool IsAnonymous(string path) => path.StartsWith("/api/schema/", StringComparison.Ordinal);

    private static string Append(string? text, string sentence) => string.IsNullOrEmpty(text) ? sentence : $"{text} {sentence}";

    private static OpenApiResponse Problem(OperationFilterContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository),
            },
        },
    };
}
