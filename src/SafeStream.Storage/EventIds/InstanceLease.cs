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
/// </summary>
public sealed partial class InstanceLease : IDisposable
{
    private readonly ProcessLease _lease;
    private readonly string _markPath;

    private InstanceLease(ProcessLease lease, int instance, string markPath, long reservedThroughMs)
    {
        _lease = lease;
        Instance = instance;
        _markPath = markPath;
        ReservedThroughMs = reservedThroughMs;
    }

    public int Instance { get; }

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
    /// The lease a server needs: its configured <c>Storage:InstanceId</c>. When the database's folder cannot hold the
    /// lease (a file where the folder should be, no permission), the server still starts, serving from the files, and
    /// leases beside its journal instead (<c>journal.ids</c>), which only this server can write.
    /// </summary>
    public static InstanceLease ForServer(StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return Acquire(FolderFor(options), options.InstanceId, time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !options.LegacyRetired)
        {
            return Acquire(Path.GetFullPath(options.ResolvedJournalPath) + ".ids", options.InstanceId, time);
        }
    }

    /// <summary>The lease a one-off tool needs: the first free tool instance number.</summary>
    public static InstanceLease ForTool(StorageOptions options, TimeProvider time) => AcquireTool(FolderFor(options), time);

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
        AtomicFile.Write(_markPath, JsonSerializer.SerializeToUtf8Bytes(new MarkDto { ReservedThroughMs = throughMs }, MarkJsonContext.Default.MarkDto));
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
            return new InstanceLease(lease, instance, markPath, ReadMark(markPath));
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
