using HpSearch.Persistence.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace HpSearch.Workers.Operations;

/// <summary>How a host (the API, a worker node) logs and traces, from its configuration (docs/operations.md).</summary>
public static class Telemetry
{
    /// <summary>The switch that turns the console logs into one JSON object a line (the same as Logging:Console:FormatterName=json).</summary>
    public const string JsonLogsSwitch = "HpSearch:JsonLogs";

    /// <summary>The standard OpenTelemetry variable: where the OTLP exporter sends spans. Unset: no spans are recorded.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>JSON console logs (UTC timestamps, scopes) when <see cref="JsonLogsSwitch"/> is true.</summary>
    public static ILoggingBuilder AddJsonLogsWhenAsked(this ILoggingBuilder logging, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>(JsonLogsSwitch))
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        return logging;
    }

    /// <summary>The service's spans (<see cref="ServiceTracing"/>) and whatever <paramref name="more"/> adds, exported over OTLP,
    /// when <see cref="OtlpEndpoint"/> is set; nothing otherwise.</summary>
    public static IServiceCollection AddTracingWhenExported(this IServiceCollection services, IConfiguration configuration,
        Action<TracerProviderBuilder>? more = null)
    {
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpoint])) return services;
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddSource(ServiceTracing.SourceName);
            more?.Invoke(tracing);
            tracing.AddOtlpExporter();
        });
        return services;
    }
}
