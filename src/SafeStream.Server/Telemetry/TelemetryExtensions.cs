using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace SafeStream.Server.Telemetry;

/// <summary>
/// OpenTelemetry metrics (the service's meter and ASP.NET Core's), scraped by Prometheus at <see cref="PrometheusPath"/>:
/// its own path, because <c>/metrics</c> is the legacy JSON that chat clients poll.
/// </summary>
internal static class TelemetryExtensions
{
    public const string PrometheusPath = "/prometheus";

    public static IServiceCollection AddServerTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddHostedService<ObservedGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("safestream"))
            .WithMetrics(metrics => metrics
            .AddMeter(ServerMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapServerTelemetry(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint(PrometheusPath).WithTags("Health").WithSummary("OpenTelemetry metrics in the Prometheus text format.");
        return routes;
    }
}
