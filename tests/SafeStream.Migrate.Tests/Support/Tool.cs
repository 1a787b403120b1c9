using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Database;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>What a run of the tool answered.</summary>
public sealed record ToolResult(int ExitCode, string Output)
{
    /// <summary>The JSON document a <c>--json</c> run printed (its last line; notes go before it).</summary>
    public JsonElement Json => JsonDocument.Parse(Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'))).RootElement;
}

/// <summary>
/// The tool run in-process on a test's folder: the legacy files in <c>legacy/</c>, the database in <c>db/</c> (or
/// the test's PostgreSQL database), backups in <c>backups/</c>, and a configuration file of the test's own
/// (never the repository's).
/// </summary>
public sealed class Tool(TempFolder dir, PostgresDatabase? postgres = null)
{
    public string Database => dir["db/safestream.db"];

    public string Legacy => dir["legacy"];

    public string Logs => dir["legacy/logs"];

    public string Backups => dir["backups"];

    public string Config => dir["appsettings.json"];

    /// <summary>The lock one import, archive, export or copy holds: beside the SQLite file, or in the backups folder.</summary>
    public string LockPath => postgres is null ? Database + ".migrate.lock" : Path.Combine(Backups, "migrate.lock");

    /// <summary>The common flags pointing at the test's folder.</summary>
    public string[] Flags => postgres is null
        ? ["--config", Config, "--legacy", Legacy, "--connection", $"Data Source={Database}", "--backups", Backups]
        : ["--config", Config, "--legacy", Legacy, "--provider", "PostgreSQL", "--connection", postgres.ConnectionString, "--backups", Backups];

    /// <summary>The settings that put a server on the test's database.</summary>
    public IReadOnlyDictionary<string, string?> DatabaseSettings => postgres?.Settings ?? new Dictionary<string, string?> { ["Storage:ConnectionString"] = $"Data Source={Database}" };

    /// <summary>One value from the database, whichever provider it is on.</summary>
    public Task<long> ScalarAsync(string sql) => postgres is null ? Task.FromResult(Db.Scalar(Database, sql)) : postgres.ScalarAsync(sql);

    /// <summary>Changes the database behind the tool's back.</summary>
    public Task ExecuteAsync(string sql)
    {
        if (postgres is not null)
        {
            return postgres.ExecuteAsync(sql);
        }

        Db.Execute(Database, sql);
        return Task.CompletedTask;
    }

    public Task<bool> DatabaseExistsAsync() => postgres is null ? Task.FromResult(File.Exists(Database)) : postgres.ExistsAsync();

    /// <summary>Rows of the three event tables.</summary>
    public async Task<(long Chat, long Gifts, long Admin)> EventsAsync() =>
        (await ScalarAsync("SELECT count(*) FROM chat_messages"), await ScalarAsync("SELECT count(*) FROM gifts"), await ScalarAsync("SELECT count(*) FROM admin_actions"));

    /// <summary>The database store on the test's database, to play the running server.</summary>
    internal DbStore Server() => Stores.Database(postgres?.Options(new StorageOptions()) ?? new StorageOptions { ConnectionString = $"Data Source={Database}" });

    /// <summary>Writes the test's appsettings.json (the Storage section), as an operator would.</summary>
    public void Configure(string mode) =>
        File.WriteAllText(Config, $$"""{ "Storage": { "Mode": "{{mode}}" } }""");

    public async Task<ToolResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await MigrateTool.RunAsync([.. args, .. Flags], ToolConsole.Plain(output), TimeProvider.System, Ct);
        return new ToolResult(exit, output.ToString());
    }
}
