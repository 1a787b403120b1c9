using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.EventIds;

/// <summary>
/// An event id instance number held by one live process, and the high-water mark of the ids issued under it. For
/// SQLite both live beside the database (<c>safestream.db.ids/instance-N.lock</c> and <c>.mark</c>), where every
/// process that writes that database looks. The lock goes with the process; the mark stays for the next holder.
/// On PostgreSQL the number is an advisory lock held by a connection of this process (see <see cref="PostgresLease"/>);
/// no mark is kept there, since ids are seeded from the database's largest id, which covers every instance's.
/// </summary>
public sealed partial class InstanceLease : IDisposable
{
    private readonly IDisposable _lease;
    private readonly string? _markPath;

    internal InstanceLease(IDisposable lease, int instance, string? markPath, long reservedThroughMs, string where)
    {
        _lease = lease;
        Instance = instance;
        _markPath = markPath;
        ReservedThroughMs = reservedThroughMs;
        Where = where;
    }

    public int Instance { get; }

    /// <summary>Where the lease is held, for the operator: a folder of lock files, or the database.</summary>
    public string Where { get; }

    /// <summary>How long a tool waits for one of the tool instance numbers to become free.</summary>
    public static TimeSpan ToolWait { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Every id issued under this number before has a millisecond part below this.</summary>
    public long ReservedThroughMs { get; private set; }

    /// <summary>Where the leases of the database that <paramref name="options"/> names are kept.</summary>
    public static string FolderFor(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.GetFullPath(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource) + ".ids";
    }

    /// <summary>
    /// The lease a server needs: its configured <c>Storage:InstanceId</c>, or when that is unset the first free server
    /// number. When the database cannot hold the lease (a folder that is a file or not writable, a PostgreSQL server
    /// that does not answer), the server still starts, serving from the files, and leases beside its journal instead
    /// (<c>journal.ids</c>), which only this server can write.
    /// </summary>
    public static InstanceLease ForServer(StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return options.Provider == DatabaseProvider.PostgreSQL
                ? PostgresLease.ForServer(options)
                : AcquireServer(FolderFor(options), options.InstanceId, time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException && !options.LegacyRetired)
        {
            return AcquireServer(Path.GetFullPath(options.ResolvedJournalPath) + ".ids", options.InstanceId, time);
        }
    }

    /// <summary>The lease a one-off tool needs: the first free tool instance number.</summary>
    public static InstanceLease ForTool(StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider == DatabaseProvider.PostgreSQL ? PostgresLease.ForTool(options.ConnectionString, ToolWait) : AcquireTool(FolderFor(options), time);
    }

    /// <summary>Leases <paramref name="instance"/>, or when null the first free server number, or fails naming the holders.</summary>
    public static InstanceLease AcquireServer(string folder, int? instance, TimeProvider time)
    {
        if (instance is { } configured)
        {
            return Acquire(folder, configured, time);
        }

        for (var n = 0; n <= EventIdGenerator.MaxServerInstance; n++)
        {
            if (TryAcquire(folder, n, time) is { } lease)
            {
                return lease;
            }
        }

        throw new InvalidOperationException(
            $"Storage:InstanceId is unset and every server instance number (0-{EventIdGenerator.MaxServerInstance}) is held by a live process ({string.Join("; ", Enumerable.Range(0, EventIdGenerator.MaxServerInstance + 1).Select(n => ProcessLease.Holder(LockPath(folder, n))))}).");
    }

    /// <summary>Leases <paramref name="instance"/>, or fails naming the process that holds it.</summary>
    public static InstanceLease Acquire(string folder, int instance, TimeProvider time) =>
        TryAcquire(folder, instance, time) ?? throw new InvalidOperationException(
            $"Storage:InstanceId {instance} is held by another live process ({ProcessLease.Holder(LockPath(folder, instance))}); " +
            $"every server writing this database needs its own Storage:InstanceId (0-{EventIdGenerator.MaxServerInstance}).");

    /// <summary>
    /// Leases the first free tool instance number. Tools are short-lived, so while all are taken it waits for one
    /// (up to <see cref="ToolWait"/>), then fails naming the processes that hold them.
    /// </summary>
    public static InstanceLease AcquireTool(string folder, TimeProvider time)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            for (var instance = EventIdGenerator.FirstToolInstance; instance < 1 << EventIdGenerator.InstanceBits; instance++)
            {
                if (TryAcquire(folder, instance, time) is { } lease)
                {
                    return lease;
                }
            }

            Thread.Sleep(50); // another process's exit has nothing to wait on
        }
        while (waited.Elapsed < ToolWait);

        var holders = Enumerable.Range(EventIdGenerator.FirstToolInstance, (1 << EventIdGenerator.InstanceBits) - EventIdGenerator.FirstToolInstance)
            .Select(i => ProcessLease.Holder(LockPath(folder, i)));
        throw new InvalidOperationException($"every tool instance number is in use, by {string.Join("; ", holders)}; wait for one of them to finish");
    }

    /// <summary>Persists a new high-water mark (atomically: a crash leaves the old mark or the new one).</summary>
    public void Reserve(long throughMs)
    {
        if (_markPath is not null)
        {
            AtomicFile.Write(_markPath, JsonSerializer.SerializeToUtf8Bytes(new MarkDto { ReservedThroughMs = throughMs }, MarkJsonContext.Default.MarkDto));
        }

        ReservedThroughMs = throughMs;
    }

    public void Dispose() => _lease.Dispose();

    private static InstanceLease? TryAcquire(string folder, int instance, TimeProvider time)
    {
        if (ProcessLease.TryAcquire(LockPath(folder, instance), time) is not { } lease)
        {
            return null;
        }

        var markPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"instance-{instance}.mark"));
        try
        {
            return new InstanceLease(lease, instance, markPath, ReadMark(markPath), folder);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static long ReadMark(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), MarkJsonContext.Default.MarkDto)?.ReservedThroughMs ?? 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not an id high-water mark ({ex.Message}); it is written atomically, so something else wrote it", ex);
        }
    }

    private static string LockPath(string folder, int instance) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"instance-{instance}.lock"));

    private sealed class MarkDto
    {
        [JsonPropertyName("reserved_through_ms")]
        public long ReservedThroughMs { get; set; }
    }

    [JsonSerializable(typeof(MarkDto))]
    private sealed partial class MarkJsonContext : JsonSerializerContext;
}
