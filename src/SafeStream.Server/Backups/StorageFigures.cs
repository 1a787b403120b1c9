using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeStream.Server.Auth;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Backups;

/// <summary>
/// The figures of <c>stats</c>, read in the background every minute (counting a large table is not for every scrape or
/// page view) and served to the dashboard's storage panel (<c>/api/dashboard/storage-stats</c>) and to Prometheus:
/// <c>safestream_backup_age_seconds</c> (the newest checked backup's age, computed at each scrape; with no backup yet, the
/// time since this server started, so an alert on it fires either way), database size, reclaimable space, rows per table.
/// </summary>
internal sealed partial class StorageFigures : BackgroundService
{
    private static readonly TimeSpan ReadEvery = TimeSpan.FromMinutes(1);
    private readonly IOptions<StorageOptions> _storage;
    private readonly IOptionsMonitor<StorageOptions> _mode;
    private readonly ScheduledBackups _backups;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageFigures> _logger;
    private readonly DateTimeOffset _startedAt;
    private volatile StorageStats? _current;
    private volatile string? _error;

    public StorageFigures(IOptions<StorageOptions> storage, IOptionsMonitor<StorageOptions> mode, ScheduledBackups backups, ServerMetrics metrics, TimeProvider time, ILogger<StorageFigures> logger)
    {
        (_storage, _mode, _backups, _time, _logger) = (storage, mode, backups, time, logger);
        _startedAt = time.GetUtcNow();
        var meter = metrics.Meter;
        meter.CreateObservableGauge("safestream.backup.age", BackupAge, "s", "Age of the newest checked backup (with none yet: time since this server started)");
        meter.CreateObservableGauge("safestream.storage.database.size", () => _current?.DatabaseBytes ?? 0, "By", "Database size");
        meter.CreateObservableGauge("safestream.storage.reclaimable", () => _current?.ReclaimableBytes ?? 0, "By", "Space the database holds that no row uses");
        meter.CreateObservableGauge("safestream.storage.rows", Rows, "{row}", "Rows per table");
    }

    public StorageStats? Current => _current;

    public string? Error => _error;

    /// <summary>The newest figures, read again now.</summary>
    public async Task<StorageStats> ReadAsync(CancellationToken cancellationToken)
    {
        var stats = await StorageStatsReader.ReadAsync(_storage.Value, _backups.Folder, _time, cancellationToken);
        (_current, _error) = (stats, null);
        return stats;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_current is null ? TimeSpan.FromSeconds(5) : ReadEvery, _time, stoppingToken); // after the start's warm-up
            if (_mode.CurrentValue.Mode == StorageMode.JsonlOnly)
            {
                continue;
            }

            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _error = ex.Message;
                LogUnread(_logger, ex.Message);
            }
        }
    }

    private double BackupAge()
    {
        var newest = _backups.Latest();
        return Math.Max(0, (_time.GetUtcNow() - (newest?.Manifest.FinishedAt ?? _startedAt)).TotalSeconds);
    }

    private IEnumerable<Measurement<long>> Rows()
    {
        if (_current is not { } s)
        {
            yield break;
        }

        yield return new(s.Users, new KeyValuePair<string, object?>("table", "users"));
        yield return new(s.Settings, new KeyValuePair<string, object?>("table", "settings"));
        foreach (var kind in s.Events)
        {
            yield return new(kind.Rows, new KeyValuePair<string, object?>("table", kind.Table));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The storage figures could not be read: {Reason}")]
    private static partial void LogUnread(ILogger logger, string reason);
}

/// <summary>The storage panel's read: the figures, and why they are missing when they are.</summary>
internal sealed record StorageStatsResponse(StorageStats? Stats, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StorageStatsResponse))]
internal sealed partial class StorageFiguresJsonContext : JsonSerializerContext;

internal static class StorageFiguresApi
{
    public static IServiceCollection AddStorageFigures(this IServiceCollection services)
    {
        services.AddSingleton<StorageFigures>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageFigures>());
        services.Configure<JsonOptions>(options => options.SerializerOptions.TypeInfoResolverChain.Add(StorageFiguresJsonContext.Default));
        return services;
    }

    /// <summary><c>GET /api/dashboard/storage-stats</c> (admins): what <c>stats</c> prints, at most a minute old (<c>?fresh=true</c>: read now).</summary>
    public static IEndpointRouteBuilder MapStorageFigures(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/dashboard/storage-stats", ReadAsync)
            .WithTags("Dashboard")
            .RequireAuthorization(AuthServiceCollectionExtensions.AdminPolicy)
            .WithSummary("Rows and time span per kind, database size and reclaimable space, the last backup and its age, the last retention run, the journal backlog.");
        return routes;
    }

    private static async Task<Ok<StorageStatsResponse>> ReadAsync(StorageFigures figures, bool? fresh, CancellationToken cancellationToken)
    {
        if (fresh == true || figures.Current is null)
        {
            try
            {
                await figures.ReadAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
            {
                return TypedResults.Ok(new StorageStatsResponse(figures.Current, ex.Message));
            }
        }

        return TypedResults.Ok(new StorageStatsResponse(figures.Current, figures.Error));
    }
}
