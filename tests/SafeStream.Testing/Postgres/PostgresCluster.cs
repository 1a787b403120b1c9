using Npgsql;

namespace SafeStream.Testing;

/// <summary>
/// A PostgreSQL 15 cluster of a test class's own (through <c>scripts/postgres-dev.sh</c>), for tests that stop and
/// start the server: the shared test server must never go down under other classes. Stopped and deleted afterwards.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sspg-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The <c>safestream</c> database the script makes.</summary>
    public string ConnectionString { get; private set; } = "";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "PostgreSQL",
        ["Storage:ConnectionString"] = ConnectionString,
    };

    public ValueTask InitializeAsync()
    {
        ConnectionString = PostgresServer.Script("start", "--dir", _dir).Split('\n')[0].Trim();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        PostgresServer.Script("stop", "--dir", _dir);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the server (fast shutdown: connections are ended); the data stays.</summary>
    public void Stop() => PostgresServer.Script("stop", "--dir", _dir, "--keep");

    /// <summary>Starts it again on the same port.</summary>
    public void Start() => PostgresServer.Script("start", "--dir", _dir);

    /// <summary>One value from the database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many of <paramref name="ids"/> the chat table holds, and how many rows carry them (each at most once).</summary>
    public async Task<(long Distinct, long Rows)> ChatIdsAsync(IEnumerable<long> ids)
    {
        var list = string.Join(",", ids);
        return (await ScalarAsync($"SELECT count(DISTINCT id) FROM chat_messages WHERE id IN ({list})"), await ScalarAsync($"SELECT count(*) FROM chat_messages WHERE id IN ({list})"));
    }
}
