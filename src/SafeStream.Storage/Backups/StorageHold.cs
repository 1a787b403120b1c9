using Npgsql;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.Backups;

/// <summary>A SafeStream process holds the storage; the message names it (pid, command, since when).</summary>
public sealed class StorageBusyException(string message) : Exception(message);

/// <summary>
/// For as long as a restore (or a blocking <c>optimize --vacuum</c>) runs, every lock a SafeStream process takes on
/// this storage, held by this one: the server seat on the legacy folder (each server holds it), the journal folder's
/// lock, and on SQLite every event id instance lease beside the database (servers 0–11 and tools 12–15). One that is
/// held already refuses the whole, naming its holder; holding them all also keeps a server from starting meanwhile.
/// On PostgreSQL the instance leases are advisory locks in the database: a live one refuses (<see cref="ThrowIfPostgresHeld"/>).
/// </summary>
internal sealed class StorageHold : IDisposable
{
    private readonly List<IDisposable> _held = [];

    private StorageHold()
    {
    }

    /// <summary>On SQLite, the first tool number's lease, for ids this process makes while it holds the storage.</summary>
    public InstanceLease? ToolLease { get; private set; }

    public static StorageHold Take(StorageOptions storage, TimeProvider time)
    {
        var hold = new StorageHold();
        try
        {
            // The journal and the leases first: their lock files name the holder; a database-mode server's seat is shared and cannot.
            hold.TakeJournal(storage, time);
            if (storage.Provider == DatabaseProvider.Sqlite)
            {
                hold.TakeLeases(storage, time);
            }

            hold.TakeSeat(storage);

            return hold;
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    /// <summary>Refuses while any process holds an instance number on the PostgreSQL database (servers and tools).</summary>
    public static async Task ThrowIfPostgresHeld(NpgsqlConnection connection, string description, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT (l.classid::bigint << 32 | l.objid::bigint) & 15, a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local') " +
            "FROM pg_locks l JOIN pg_stat_activity a USING (pid) " +
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "AND (l.classid::bigint << 32 | l.objid::bigint) >> 4 = @space ORDER BY 1",
            connection);
        command.Parameters.AddWithValue("space", PostgresLease.Namespace >> 4);
        var holders = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                holders.Add($"instance {reader.GetInt64(0)}: backend pid {reader.GetInt32(1)}, {reader.GetString(2)} from {reader.GetString(3)}");
            }
        }

        if (holders.Count > 0)
        {
            throw new StorageBusyException($"SafeStream processes hold {description} ({string.Join("; ", holders)}); stop every server instance and tool on it first.");
        }
    }

    public void Dispose()
    {
        foreach (var held in Enumerable.Reverse(_held))
        {
            held.Dispose();
        }

        _held.Clear();
    }

    private void TakeSeat(StorageOptions storage)
    {
        var path = ServerSeat.PathFor(storage.ResolvedLogsPath);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return; // no legacy folder: no server on this machine ever sat there
        }

        var seat = FileLock.Open(path);
        if (!FileLock.TryLock(seat))
        {
            seat.Dispose();
            throw new StorageBusyException($"a SafeStream server runs on this storage: it holds the server seat {path} (last written: {FileLock.Describe(path)}); stop it first.");
        }

        _held.Add(seat);
    }

    private void TakeJournal(StorageOptions storage, TimeProvider time)
    {
        var journal = Path.GetFullPath(storage.ResolvedJournalPath);
        if (!Directory.Exists(journal))
        {
            return;
        }

        var path = Path.Combine(journal, JournalFiles.LockName);
        _held.Add(ProcessLease.TryAcquire(path, time)
            ?? throw new StorageBusyException($"a SafeStream process owns the journal {journal} ({ProcessLease.Holder(path)}); stop it first."));
    }

    private void TakeLeases(StorageOptions storage, TimeProvider time)
    {
        var folder = InstanceLease.FolderFor(storage);
        for (var instance = 0; instance < 1 << EventIdGenerator.InstanceBits; instance++)
        {
            InstanceLease lease;
            try
            {
                lease = InstanceLease.Acquire(folder, instance, time);
            }
            catch (InvalidOperationException ex)
            {
                throw new StorageBusyException($"a SafeStream process holds event id instance {instance} on this database: {ex.Message.Split("; ")[0]}; stop it first.");
            }

            _held.Add(lease);
            if (instance == EventIdGenerator.FirstToolInstance)
            {
                ToolLease = lease;
            }
        }
    }
}
