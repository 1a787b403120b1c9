using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using SafeStream.Storage;
using SafeStream.Storage.Backups;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Backups;

/// <summary>
/// Takes a backup whenever the newest checked one is <c>Backup:IntervalHours</c> old (or there is none), then keeps
/// the newest <c>Backup:Keep</c>. With several instances only one takes each backup: on PostgreSQL the instance that
/// gets a session advisory lock, which then looks again at when the last one started (the <c>last_backup_at</c>
/// setting, in the database, so instances whose backups folders differ agree too); on SQLite one server holds the
/// database anyway, and the folder's <c>backup.lock</c> keeps a concurrent <c>backup</c> command out.
/// </summary>
internal sealed partial class ScheduledBackups(
    IOptions<BackupOptions> options,
    IOptions<StorageOptions> storage,
    IOptionsMonitor<StorageOptions> mode,
    IStorage data,
    TimeProvider time,
    ILogger<ScheduledBackups> logger) : BackgroundService
{
    private const long ScheduleLock = 0x5AFE_0000_0000_0100L; // beside the instance numbers' keys (PostgresLease)
    private static readonly TimeSpan LookEvery = TimeSpan.FromMinutes(1);

    public string Folder => options.Value.ResolvedPath(storage.Value);

    /// <summary>Raised after each look at the schedule: whether this instance took a backup (a test's signal).</summary>
    internal event Action<bool>? Looked;

    /// <summary>The newest checked backup now, for the gauges and the dashboard.</summary>
    public BackupEntry? Latest() => BackupFolder.Latest(Folder);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromHours(options.Value.IntervalHours);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var look = interval < LookEvery ? interval : LookEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(look, time, stoppingToken); // the first look waits too: the database is warming up at start
            try
            {
                var took = mode.CurrentValue.Mode != StorageMode.JsonlOnly // JsonlOnly keeps no database
                    && await DueAsync(interval, stoppingToken) && await TakeAsync(interval, stoppingToken);
                Looked?.Invoke(took);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex.Message, ex); // the next look tries again; the backup age gauge shows the gap
            }
        }
    }

    private async Task<bool> DueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var last = Latest()?.Manifest.StartedAt;
        if (await data.GetSettingAsync(SettingKeys.LastBackupAt, cancellationToken) is { } stored
            && DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && (last is null || at > last))
        {
            last = at;
        }

        return last is null || time.GetUtcNow() - last >= interval;
    }

    private async Task<bool> TakeAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var turn = await TurnAsync(cancellationToken);
        if (turn is null || !await DueAsync(interval, cancellationToken))
        {
            return false; // another instance takes (or just took) this one
        }

        // Off the host's loop: Microsoft.Data.Sqlite runs VACUUM INTO synchronously, for the whole copy.
        var taken = await Task.Run(() => new BackupWriter(storage.Value, Folder, time).TakeAsync("server", cancellationToken), cancellationToken);
        await data.SetSettingAsync(SettingKeys.LastBackupAt, taken.Manifest.StartedAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        var removed = BackupFolder.Prune(Folder, options.Value.Keep);
        LogTaken(logger, taken.File, taken.Manifest.Bytes, (taken.Manifest.FinishedAt - taken.Manifest.StartedAt).TotalSeconds, removed.Count);
        return true;
    }

    /// <summary>On PostgreSQL, this instance's turn (a connection holding the schedule's advisory lock), or null; on SQLite always a turn.</summary>
    private async Task<IAsyncDisposable?> TurnAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.Provider != DatabaseProvider.PostgreSQL)
        {
            return NoLock.Instance;
        }

        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(storage.Value.ConnectionString) { Pooling = false, ApplicationName = "safestream-backup-schedule" }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", ScheduleLock);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return connection; // closing it releases the lock
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled backup {File}: {Bytes} bytes in {Seconds:0.0} s, checked; {Removed} older backups removed (Backup:Keep)")]
    private static partial void LogTaken(ILogger logger, string file, long bytes, double seconds, int removed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled backup failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
