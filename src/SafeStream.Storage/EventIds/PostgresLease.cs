using System.Globalization;
using Npgsql;
using SafeStream.Storage.Database;

namespace SafeStream.Storage.EventIds;

/// <summary>
/// An instance number on PostgreSQL: a session advisory lock, held by a dedicated connection of this process (never
/// a pooled one, which would hold it for whoever uses the connection next). The lock goes with the connection: if the
/// server restarts or the connection is killed, it is taken again on the next check (every <see cref="CheckEvery"/>).
/// Another process can take the number only in that gap; it then refuses to share it, and so does this one's check,
/// which counts the loss in <see cref="Losses"/> so the operator sees it.
/// </summary>
internal sealed class PostgresLease : IDisposable
{
    internal const long Namespace = 0x5AFE_0000_0000_0000L;
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    private readonly string _connectionString;
    private readonly long _key;
    private readonly Timer _check;
    private readonly Lock _lock = new();
    private NpgsqlConnection? _connection;
    private bool _disposed;
    private int _losses;

    private PostgresLease(string connectionString, int instance, NpgsqlConnection connection)
    {
        _connectionString = connectionString;
        _key = Namespace | (uint)instance;
        _connection = connection;
        _check = new Timer(_ => CheckThenRearm(), null, CheckEvery, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many times the lock was found lost and could not be taken back at once.</summary>
    public int Losses => Volatile.Read(ref _losses);

    /// <summary>
    /// A server's number. The lock lives inside the database, so on a first start a missing database is made first
    /// (empty; the start migrates it a moment later): instances that start together on a new database then draw
    /// distinct numbers from it, instead of each falling back to a number of its own folder that the others cannot see.
    /// </summary>
    public static InstanceLease ForServer(StorageOptions options)
    {
        try
        {
            return ForServer(options.ConnectionString, options.InstanceId);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && FirstStart.WhyNot(options) is null)
        {
            SqlDialects.For(options).PrepareAsync(create: true, CancellationToken.None).GetAwaiter().GetResult();
            return ForServer(options.ConnectionString, options.InstanceId);
        }
    }

    private static InstanceLease ForServer(string connectionString, int? instance)
    {
        var numbers = instance is { } n ? [n] : Enumerable.Range(0, EventIdGenerator.MaxServerInstance + 1);
        foreach (var number in numbers)
        {
            if (TryTake(connectionString, number) is { } lease)
            {
                return lease;
            }
        }

        throw new InvalidOperationException(instance is { } configured
            ? $"Storage:InstanceId {configured} is held by another live instance ({Holders(connectionString, [configured])}); every instance on this database needs its own number, or leave Storage:InstanceId unset to get a free one."
            : $"Storage:InstanceId is unset and every server instance number (0-{EventIdGenerator.MaxServerInstance}) is held by a live instance ({Holders(connectionString, Enumerable.Range(0, EventIdGenerator.MaxServerInstance + 1))}).");
    }

    /// <summary>The first free tool number (12–15), waiting up to <paramref name="wait"/> for one.</summary>
    public static InstanceLease ForTool(string connectionString, TimeSpan wait)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var tools = Enumerable.Range(EventIdGenerator.FirstToolInstance, (1 << EventIdGenerator.InstanceBits) - EventIdGenerator.FirstToolInstance).ToList();
        do
        {
            foreach (var number in tools)
            {
                if (TryTake(connectionString, number) is { } lease)
                {
                    return lease;
                }
            }

            Thread.Sleep(50); // another process's exit has nothing to wait on
        }
        while (waited.Elapsed < wait);

        throw new InvalidOperationException($"every tool instance number is in use, by {Holders(connectionString, tools)}; wait for one of them to finish");
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _check.Dispose();
            _connection?.Dispose(); // closing the session releases the lock
            _connection = null;
        }
    }

    private static InstanceLease? TryTake(string connectionString, int instance)
    {
        var connection = Open(connectionString, instance);
        try
        {
            if (!Take(connection, Namespace | (uint)instance))
            {
                connection.Dispose();
                return null;
            }

            var hold = new PostgresLease(connectionString, instance, connection);
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return new InstanceLease(hold, instance, markPath: null, reservedThroughMs: 0, $"postgresql://{builder.Host}:{builder.Port}/{builder.Database} (advisory lock)");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static NpgsqlConnection Open(string connectionString, int instance)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = string.Create(CultureInfo.InvariantCulture, $"safestream-instance-{instance}"),
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static bool Take(NpgsqlConnection connection, long key)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return command.ExecuteScalar() is true;
    }

    /// <summary>Who holds the numbers: process id, application and client, as PostgreSQL sees them.</summary>
    private static string Holders(string connectionString, IEnumerable<int> instances)
    {
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(
                "SELECT (l.classid::bigint << 32 | l.objid::bigint) & 15, a.pid, a.application_name, coalesce(host(a.client_addr), 'local') " +
                "FROM pg_locks l JOIN pg_stat_activity a USING (pid) " +
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
                "AND (l.classid::bigint << 32 | l.objid::bigint) = ANY(@keys) ORDER BY 1",
                connection);
            command.Parameters.AddWithValue("keys", instances.Select(n => Namespace | (uint)n).ToArray());
            using var r = command.ExecuteReader();
            var holders = new List<string>();
            while (r.Read())
            {
                holders.Add(string.Create(CultureInfo.InvariantCulture, $"{r.GetInt64(0)}: backend pid {r.GetInt32(1)}, {r.GetString(2)} from {r.GetString(3)}"));
            }

            return holders.Count == 0 ? "holder unknown" : string.Join("; ", holders);
        }
        catch (NpgsqlException ex)
        {
            return $"holders unknown: {ex.Message}";
        }
    }

    private void CheckThenRearm()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            Check();
            _check.Change(CheckEvery, Timeout.InfiniteTimeSpan); // one check at a time, however long one takes
        }
    }

    /// <summary>A cheap query on the lease connection; on failure, a new connection takes the lock again.</summary>
    private void Check()
    {
        {

            try
            {
                using var command = new NpgsqlCommand("SELECT 1", _connection);
                command.ExecuteScalar();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                _connection?.Dispose();
                _connection = null;
            }

            try
            {
                var instance = (int)(_key & 15);
                var connection = Open(_connectionString, instance);
                if (Take(connection, _key))
                {
                    _connection = connection;
                    return;
                }

                connection.Dispose();
                Interlocked.Increment(ref _losses); // another process took the number while ours was away
            }
            catch (NpgsqlException)
            {
                // the database is still away; nobody else can take the number from it meanwhile
            }
        }
    }
}
