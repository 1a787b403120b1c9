using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Health;

/// <summary>
/// Readiness, on ASP.NET Core's health checks: <c>/healthz</c> stays the legacy liveness answer, <c>/readyz</c> tells
/// a load balancer whether to send traffic. Only <c>DatabaseOnly</c> can be not ready (it has nothing to fall back on
/// when it cannot reach its database); <c>DatabaseFirst</c> serving from the files is ready but degraded.
/// </summary>
internal static class Readiness
{
    public const string Path = "/readyz";

    public static IServiceCollection AddReadiness(this IServiceCollection services)
    {
        services.AddSingleton<StorageReadiness>(); // one instance, so the shared probe outlives a check
        services.AddHealthChecks().Add(new HealthCheckRegistration("storage", sp => sp.GetRequiredService<StorageReadiness>(), null, null));
        return services;
    }

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithTags("Health")
            .WithSummary("Readiness: 503 while DatabaseOnly cannot reach its database; shows mode, breaker and journal backlog.");
        return routes;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var storage = report.Entries.TryGetValue("storage", out var entry) ? entry : default;
        var body = new ReadinessResponse(
            report.Status == HealthStatus.Unhealthy ? "not_ready" : "ready",
            report.Status.ToString(),
            storage.Description,
            storage.Data.TryGetValue("mode", out var mode) ? (string)mode : null,
            storage.Data.TryGetValue("requested_mode", out var requested) ? (string)requested : null,
            storage.Data.TryGetValue("breaker", out var breaker) ? (string)breaker : null,
            storage.Data.TryGetValue("journal_backlog", out var backlog) ? (long)backlog : 0,
            storage.Data.TryGetValue("reading_from_files", out var files) && (bool)files,
            HealthApi.ForCaller(context.RequestServices.GetRequiredService<RejectedSettings>(), context.Features.Get<Auth.CurrentUser>()));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.ReadinessResponse, context.RequestAborted);
    }
}

/// <summary>The readiness body (snake_case, like every other).</summary>
internal sealed record ReadinessResponse(
    string Status, string Health, string? Reason, string? Mode, string? RequestedMode, string? Breaker, long JournalBacklog, bool ReadingFromFiles,
    IReadOnlyList<string> RejectedSettings);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ReadinessResponse))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
