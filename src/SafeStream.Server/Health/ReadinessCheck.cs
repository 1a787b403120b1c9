using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Health;

/// <summary>
/// Readiness, on ASP.NET Core's health checks: <c>/healthz</c> stays the legacy liveness answer, <c>/readyz</c> tells
/// a load balancer whether to send traffic. Only <c>DatabaseOnly</c> can be not ready (it has nothing to fall back on
/// when it cannot reach its database); <c>DatabaseFirst</c> serving from the files is ready but degraded.
/// </summary>
public static class Readiness
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
            storage.Data.TryGetValue("reading_from_files", out var files) && (bool)files);
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.ReadinessResponse, context.RequestAborted);
    }
}

/// <summary>The readiness body (snake_case, like every other).</summary>
public sealed record ReadinessResponse(
    string Status, string Health, string? Reason, string? Mode, string? RequestedMode, string? Breaker, long JournalBacklog, bool ReadingFromFiles);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ReadinessResponse))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// In <c>DatabaseOnly</c>: not ready while the breaker is open, or when a probe read of the database fails. The probe is
/// shared for a second, so an anonymous flood of readiness checks is not a flood of database reads.
/// </summary>
internal sealed class StorageReadiness(IStorage storage, IStorageStatus status, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan ShareFor = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private (long At, string? Failure)? _lastProbe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        var data = new Dictionary<string, object>
        {
            ["mode"] = current.ActiveMode.ToString(),
            ["requested_mode"] = current.RequestedMode.ToString(),
            ["breaker"] = current.Breaker,
            ["journal_backlog"] = current.JournalBacklog,
            ["reading_from_files"] = current.ReadingFromFiles,
        };
        if (current.ActiveMode != StorageMode.DatabaseOnly)
        {
            // Writes waiting in the journal mean the database is not taking them, whether or not a read noticed yet.
            return current.ReadingFromFiles || current.Breaker != "Closed" || current.JournalBacklog > 0
                ? HealthCheckResult.Degraded("the database is not answering; serving from the files", data: data)
                : HealthCheckResult.Healthy(data: data);
        }

        if (current.Breaker == "Open" || current.Breaker == "Isolated")
        {
            return HealthCheckResult.Unhealthy("DatabaseOnly cannot reach its database (circuit breaker open)", data: data);
        }

        var failure = await ProbeAsync(cancellationToken);
        return failure is null
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy($"DatabaseOnly cannot reach its database: {failure}", data: data);
    }

    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_lastProbe is { } last && time.GetElapsedTime(last.At) < ShareFor)
            {
                return last.Failure;
            }
        }

        string? failure = null;
        try
        {
            await storage.GetSettingAsync(SettingKeys.ToxicityThreshold, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            failure = "a probe read failed";
        }

        lock (_lock)
        {
            _lastProbe = (time.GetTimestamp(), failure);
        }

        return failure;
    }
}
