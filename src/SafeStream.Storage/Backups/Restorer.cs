using System.Globalization;
using Microsoft.Data.Sqlite;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Backups;

/// <summary>What a restore did.</summary>
/// <param name="Into">The database restored into (a path, or <c>postgresql://…</c>).</param>
/// <param name="MovedAside">Where the database it replaced now is (kept, never deleted), or null when there was none.</param>
/// <param name="RestoreActionId">The id of the <c>system:restore</c> admin action recorded in it: above every id either database held.</param>
/// <param name="JournalBacklog">Journalled records the next server start replays into the restored database.</param>
public sealed record RestoreReport(string File, string Into, string? MovedAside, BackupManifest Manifest, long RestoreActionId, long JournalBacklog);

/// <summary>A restore that would overwrite data without being told to (PostgreSQL without <c>--replace</c>).</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);

/// <summary>
/// Puts a backup back: checked first (<see cref="BackupVerifier"/>), refused while any SafeStream process holds the
/// storage (<see cref="StorageHold"/>); the database it replaces is moved aside (<c>…before-restore-&lt;time&gt;</c>),
/// never deleted. The restored database gets one admin action by <c>system:restore</c>, whose id is above every id
/// of the backup and of the database replaced, so ids issued after the restore are never ones issued before it (the
/// server seeds its ids from the largest stored one; on SQLite the instance marks beside it stay as well).
/// </summary>
public sealed partial class Restorer(StorageOptions storage, TimeProvider time)
{
    public const string Who = "system:restore";

    public async Task<RestoreReport> RestoreAsync(string file, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var full = Path.GetFullPath(file);
        var manifest = await BackupVerifier.VerifyAsync(full, cancellationToken);
        using var hold = StorageHold.Take(storage, time);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var report = storage.Provider == DatabaseProvider.PostgreSQL
            ? await RestorePostgresAsync(full, manifest, replace, stamp, cancellationToken)
            : await RestoreSqliteAsync(full, manifest, hold, stamp, cancellationToken);
        return report with { JournalBacklog = JournalFiles.Backlog(storage.ResolvedJournalPath) };
    }

    private async Task<RestoreReport> RestoreSqliteAsync(string file, BackupManifest manifest, StorageHold hold, string stamp, CancellationToken cancellationToken)
    {
        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource);
        var directory = Path.GetDirectoryName(database)!;
        Directory.CreateDirectory(directory);
        var restoring = database + ".restoring";
        File.Delete(restoring);
        File.Copy(file, restoring);

        var replacedHighest = File.Exists(database) ? await HighestOfSqliteAsync(database, cancellationToken) : 0;
        var ids = new EventIdGenerator(time, hold.ToolLease!);
        ids.AdvancePast(Math.Max(replacedHighest, manifest.HighestEventId));
        var aside = File.Exists(database) ? $"{database}.before-restore-{stamp}" : null;
        var action = RestoreAction(ids.Next(), file, manifest, aside);
        await using (var copy = DatabaseFacts.OpenSqliteFile(restoring))
        {
            await using var insert = copy.CreateCommand();
            insert.CommandText = $"INSERT INTO admin_actions (id, {AdminActionRow.Columns}) VALUES ($id, $admin, $action, NULL, $details, $ts)";
            insert.Parameters.AddWithValue("$id", action.Id);
            insert.Parameters.AddWithValue("$admin", action.Admin);
            insert.Parameters.AddWithValue("$action", action.Action);
            insert.Parameters.AddWithValue("$details", action.Details);
            insert.Parameters.AddWithValue("$ts", Micros.ToUnix(action.Ts));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await BackupWriter.HashAsync(restoring, cancellationToken); // forced to disk before it takes the database's name
        if (aside is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "-wal", "-shm", "" }) // the WAL goes with its database, under the name SQLite looks for
            {
                if (File.Exists(database + suffix))
                {
                    File.Move(database + suffix, aside + suffix);
                }
            }
        }

        File.Move(restoring, database);
        DirectorySync.Flush(directory);
        return new RestoreReport(file, database, aside, manifest, action.Id, 0);
    }

    private AdminAction RestoreAction(long id, string file, BackupManifest manifest, string? aside) => new(
        id,
        Who,
        "restore",
        null,
        $"restored {Path.GetFileName(file)} (taken {manifest.StartedAt:yyyy-MM-ddTHH:mm:ssZ} from {manifest.Provider}, highest id {manifest.HighestEventId})"
            + (aside is null ? "" : $"; the database before is kept as {aside}"),
        time.GetUtcNow());

    /// <summary>The largest id of the database being replaced; 0 when it cannot be read (a damaged one: then the instance marks and the clock keep ids above).</summary>
    private static async Task<long> HighestOfSqliteAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = DatabaseFacts.OpenSqliteFile(database);
            return await DatabaseFacts.HighestEventIdAsync(connection, null, cancellationToken);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
