using Npgsql;
using SafeStream.Storage;

namespace SafeStream.Testing;

/// <summary>
/// A database of its own for one test class on the test server (<see cref="PostgresServer"/>), dropped afterwards.
/// Tests of a class run one after another, and <see cref="ResetAsync"/> empties the tables between them. One made
/// with <c>new</c> and never initialized is a name only: a database that does not exist yet, still dropped on dispose.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N");

    public string ConnectionString => PostgresServer.Of(Name);

    /// <summary>The settings that put a server or a tool on this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = nameof(DatabaseProvider.PostgreSQL),
        ["Storage:ConnectionString"] = ConnectionString,
    };

    public async ValueTask InitializeAsync() => await ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    /// <summary>Drops this database, for a test of what happens when it does not exist yet.</summary>
    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    /// <summary>Storage options on this database, for the stores and routers of the storage tests.</summary>
    public StorageOptions Options(StorageOptions files)
    {
        ArgumentNullException.ThrowIfNull(files);
        files.Provider = DatabaseProvider.PostgreSQL;
        files.ConnectionString = ConnectionString;
        return files;
    }

    /// <summary>Empties every table the migrations made (none yet on a fresh database); the schema stays.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DO $$ BEGIN IF to_regclass('public.chat_messages') IS NOT NULL THEN " +
            "TRUNCATE chat_messages, gifts, admin_actions, users, settings RESTART IDENTITY; END IF; " +
            "IF to_regclass('public.fanout') IS NOT NULL THEN TRUNCATE fanout, instance_presence RESTART IDENTITY; END IF; " +
            "IF to_regclass('public.sign_in_limits') IS NOT NULL THEN TRUNCATE sign_in_limits; END IF; END $$",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An outage of this database alone: new connections are refused and the open ones are ended.</summary>
    public async Task GoAwayAsync()
    {
        await ExecuteOnServerAsync($"ALTER DATABASE \"{Name}\" WITH ALLOW_CONNECTIONS false");
        await ExecuteOnServerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid()");
    }

    /// <summary>Ends the outage of <see cref="GoAwayAsync"/>.</summary>
    public async Task ComeBackAsync()
    {
        await ExecuteOnServerAsync($"ALTER DATABASE \"{Name}\" WITH ALLOW_CONNECTIONS true");
        NpgsqlConnection.ClearAllPools(); // the pooled connections that were ended
    }

    /// <summary>One value from this database (counts and probes in assertions).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="sql"/> on this database (tampering behind a tool's back).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether the database exists on the server (one a test leaves to the code under test to create).</summary>
    public async Task<bool> ExistsAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresServer.Of("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.Of("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
