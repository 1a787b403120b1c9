using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeStream.Storage.SignIn;

/// <summary>
/// The counters in PostgreSQL's <c>sign_in_limits</c> table (key, value, stamp, expires), shared by every instance:
/// each operation is one atomic upsert, stamped with this instance's clock (a stamp never moves back, so a clock
/// behind another's grants nothing extra). Expired rows are deleted about once a minute. When the database does not
/// answer, the instance counts in memory until it does (logged as a warning), so sign-in keeps its limits and works.
/// </summary>
internal sealed partial class PostgresSignInCounters(string connectionString, TimeProvider time, MemorySignInCounters fallback, ILogger logger) : ISignInCounters
{
    private const string Table = "sign_in_limits";
    private static readonly TimeSpan CleanEvery = TimeSpan.FromMinutes(1);
    private long _cleanedAt;
    private long _warnedAt;

    public bool IsShared => true;

    public Task<TimeSpan?> TakeAsync(string key, int burst, double perSecond, CancellationToken cancellationToken) => OrMemoryAsync(
        async connection =>
        {
            var now = time.GetUtcNow();
            const string Tokens = $"LEAST(@burst, s.value + GREATEST(0, EXTRACT(EPOCH FROM (@now - s.stamp))::float8) * @rate)";
            await using var command = Command(
                connection,
                $"INSERT INTO {Table} AS s (key, value, stamp, expires) VALUES (@key, @burst - 1, @now, @full) " +
                $"ON CONFLICT (key) DO UPDATE SET value = {Tokens} - 1, stamp = GREATEST(s.stamp, @now), expires = @full " +
                $"WHERE {Tokens} >= 1 RETURNING value; " +
                $"SELECT {Tokens} FROM {Table} s WHERE key = @key",
                ("key", key), ("burst", (double)burst), ("rate", perSecond), ("now", now), ("full", now + TimeSpan.FromSeconds(burst / perSecond)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return (TimeSpan?)null;
            }

            await reader.NextResultAsync(cancellationToken);
            var tokens = await reader.ReadAsync(cancellationToken) ? reader.GetDouble(0) : 0;
            return TimeSpan.FromSeconds(Math.Max(0, 1 - tokens) / perSecond);
        },
        () => fallback.TakeAsync(key, burst, perSecond, cancellationToken),
        cancellationToken);

    public Task<TimeSpan?> CountAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken) => OrMemoryAsync(
        async connection =>
        {
            var now = time.GetUtcNow();
            await using var command = Command(
                connection,
                $"INSERT INTO {Table} AS s (key, value, stamp, expires) VALUES (@key, 1, @now, @end) " +
                "ON CONFLICT (key) DO UPDATE SET value = CASE WHEN s.expires <= @now THEN 1 ELSE s.value + 1 END, " +
                "stamp = GREATEST(s.stamp, @now), expires = CASE WHEN s.expires <= @now THEN @end ELSE s.expires END " +
                "RETURNING value, expires",
                ("key", key), ("now", now), ("end", now + window));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (count, end) = (reader.GetDouble(0), reader.GetFieldValue<DateTimeOffset>(1));
            return count > limit ? end - now : (TimeSpan?)null;
        },
        () => fallback.CountAsync(key, limit, window, cancellationToken),
        cancellationToken);

    public Task<IReadOnlyList<Failures>> ReadFailuresAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => OrMemoryAsync(
        async connection =>
        {
            await using var command = Command(
                connection,
                $"SELECT key, value, stamp FROM {Table} WHERE key = ANY(@keys) AND expires > @now",
                ("keys", keys.ToArray()), ("now", time.GetUtcNow()));
            var found = new Dictionary<string, Failures>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = new Failures((int)reader.GetDouble(1), reader.GetFieldValue<DateTimeOffset>(2));
            }

            return (IReadOnlyList<Failures>)keys.Select(k => found.GetValueOrDefault(k)).ToList();
        },
        () => fallback.ReadFailuresAsync(keys, cancellationToken),
        cancellationToken);

    public Task FailedAsync(IReadOnlyList<string> keys, TimeSpan forget, CancellationToken cancellationToken) => OrMemoryAsync(
        async connection =>
        {
            var now = time.GetUtcNow();
            await using var command = Command(
                connection,
                $"INSERT INTO {Table} AS s (key, value, stamp, expires) SELECT k, 1, @now, @end FROM unnest(@keys) AS k " +
                "ON CONFLICT (key) DO UPDATE SET value = CASE WHEN s.expires <= @now THEN 1 ELSE s.value + 1 END, " +
                "stamp = GREATEST(s.stamp, @now), expires = @end",
                ("keys", keys.ToArray()), ("now", now), ("end", now + forget));
            await command.ExecuteNonQueryAsync(cancellationToken);
            await CleanAsync(connection, now, cancellationToken);
            return true;
        },
        async () =>
        {
            await fallback.FailedAsync(keys, forget, cancellationToken);
            return true;
        },
        cancellationToken);

    public Task ClearAsync(string key, CancellationToken cancellationToken) => OrMemoryAsync(
        async connection =>
        {
            await using var command = Command(connection, $"DELETE FROM {Table} WHERE key = @key", ("key", key));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        },
        async () =>
        {
            await fallback.ClearAsync(key, cancellationToken);
            return true;
        },
        cancellationToken);

    private async Task CleanAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _cleanedAt);
        if (now.UtcTicks - last < CleanEvery.Ticks || Interlocked.CompareExchange(ref _cleanedAt, now.UtcTicks, last) != last)
        {
            return;
        }

        await using var command = Command(connection, $"DELETE FROM {Table} WHERE expires <= @now", ("now", now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> OrMemoryAsync<T>(Func<NpgsqlConnection, Task<T>> shared, Func<Task<T>> local, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return await shared(connection);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is NpgsqlException or SocketException or TimeoutException)
        {
            var now = time.GetUtcNow().UtcTicks;
            var last = Interlocked.Read(ref _warnedAt);
            if (now - last >= CleanEvery.Ticks && Interlocked.CompareExchange(ref _warnedAt, now, last) == last)
            {
                LogLocal(logger, ex.GetType().Name, ex);
            }

            return await local();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sign-in limits cannot reach PostgreSQL ({Kind}); this instance counts them in memory until it can")]
    private static partial void LogLocal(ILogger logger, string kind, Exception exception);
}
