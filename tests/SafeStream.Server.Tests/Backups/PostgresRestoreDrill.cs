using Npgsql;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Backups;

/// <summary>The drill on PostgreSQL: the killed server's database holds rows, so the restore is told <c>--replace</c>.</summary>
public sealed class PostgresRestoreDrill(PostgresDatabase database) : RestoreDrill, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>The database the restore moved aside is the test's to drop (the fixture drops the one it made).</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer.Of("postgres"));
        await connection.OpenAsync();
        var aside = new List<string>();
        await using (var find = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE @prefix", connection))
        {
            find.Parameters.AddWithValue("prefix", database.Name + "_before_restore_%");
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                aside.Add(reader.GetString(0));
            }
        }

        foreach (var name in aside)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    protected override Dictionary<string, string?> Settings()
    {
        var settings = ServerProcess.Settings(Dir, "DatabaseFirst");
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        settings["Backup:IntervalHours"] = "0";
        settings["Serilog:MinimumLevel:Default"] = "Warning";
        return settings;
    }

    protected override async Task<IReadOnlyList<long>> StoredChatIdsAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT id FROM chat_messages", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The killed server's sessions end when PostgreSQL notices the closed sockets: until then the restore rightly refuses.</summary>
    protected override async Task<ProcessResult> RestoreAsync(Dictionary<string, string?> settings, string file)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var result = await ServerProcess.RunToolAsync(Dir, settings, "restore", file, "--replace");
            if (result.ExitCode == 0 || !result.Error.Contains("stop every server instance", StringComparison.Ordinal) || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                return result;
            }

            await Task.Delay(200, Ct); // a backend's exit has nothing this process can await
        }
    }
}
