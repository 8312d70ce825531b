namespace HpSearch.Api;

/// <summary>Swashbuckle: the OpenAPI document at /swagger/v1/swagger.json and the UI at /swagger.</summary>
public static class OpenApiDocs
{
    public static IServiceCollection AddOpenApiDocs(this IServiceCollection services) =>
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "HpSearch", Version = "v1", Description = "Hyperparameter search as a service. Writes need the X-Api-Key header." });
        });

    public static WebApplication UseOpenApiDocs(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "HpSearch API");
        return app;
    }
}
