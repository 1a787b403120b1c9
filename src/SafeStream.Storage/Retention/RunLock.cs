using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.Retention;

/// <summary>
/// One retention run at a time over one storage, whichever process starts it (instances on one PostgreSQL, the admin
/// command line): on PostgreSQL a session advisory lock on a connection held for the run, elsewhere an OS lock on a
/// file beside the database (or the logs, in <c>JsonlOnly</c>). Held until disposed; gone with the process.
/// </summary>
internal sealed class RunLock : IDisposable
{
    /// <summary>Beside the instance leases' <c>0x5AFE…</c> keys and the fan-out's order lock.</summary>
    private const long AdvisoryKey = 0x5AFE_7265_7465_6E00L;

    private readonly IDisposable _held;

    private RunLock(IDisposable held)
    {
        _held = held;
    }

    /// <summary>The lock, or null while another process runs retention.</summary>
    public static async Task<RunLock?> TryTakeAsync(ISqlDialect? database, string fallbackFolder, CancellationToken cancellationToken)
    {
        if (database is PostgresDialect postgres)
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false, ApplicationName = "safestream-retention" }.ConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                command.Parameters.AddWithValue("key", AdvisoryKey);
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return new RunLock(connection); // closing the session releases it
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

        var path = database is SqliteDialect sqlite ? Path.GetFullPath(sqlite.DataSource) + ".retention.lock" : Path.Combine(fallbackFolder, ".retention.lock");
        var file = FileLock.Open(path);
        if (FileLock.TryLock(file))
        {
            return new RunLock(file);
        }

        await file.DisposeAsync();
        return null;
    }

    public void Dispose() => _held.Dispose();
}
