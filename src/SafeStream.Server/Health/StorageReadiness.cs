using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Health;

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
