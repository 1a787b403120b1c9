using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Retention;

/// <summary>
/// Legacy lines older than the retention horizon after <c>prune</c> ran (the admin command, a process of its own in
/// production, on the same configuration): a later <c>import</c> does not bring them back, and <c>verify</c> counts
/// them as pruned, not as differences. The sample's lines are from June 2025, far older than 30 days.
/// </summary>
public abstract class PrunedLinesTests(DatabaseProvider provider) : ToolTests(provider)
{
    [Fact]
    public async Task AnImportAfterPruneDoesNotBringOldLinesBackAndVerifyCountsThemPruned()
    {
        var fresh = new ChatMessage(0, "alice", "said yesterday", false, 0.02, false, DateTimeOffset.UtcNow.AddDays(-1));
        LegacyLog.Append(Path.Combine(Tool.Logs, LogFiles.NameFor(DateOnly.FromDateTime(DateTime.UtcNow))), [fresh]);
        await Tool.RunAsync("import");
        var before = await Tool.EventsAsync();

        var (pruneCode, pruneOutput) = await PruneAsync();
        var afterPrune = await Tool.EventsAsync();
        var import = await Tool.RunAsync("import", "--json");
        var afterImport = await Tool.EventsAsync();
        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal((9L, 3L, 3L), before);
        Assert.True(pruneCode == 0, pruneOutput);
        Assert.Equal((1L, 0L, 4L), afterPrune); // the fresh line stays; admin actions stay, and the run is one more
        Assert.Equal(afterPrune, afterImport);
        var imported = import.Json.GetProperty("events").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
        Assert.Equal((8L, 0L), (imported["chat"].GetProperty("pruned").GetInt64(), imported["chat"].GetProperty("inserted").GetInt64()));
        Assert.Equal(3L, imported["gifts"].GetProperty("pruned").GetInt64());
        Assert.Equal(0L, imported["admin_actions"].GetProperty("pruned").GetInt64());
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.True(verify.Json.GetProperty("clean").GetBoolean());
        var kinds = verify.Json.GetProperty("kinds").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
        Assert.Equal((8L, 1L, 0L), (kinds["chat"].GetProperty("pruned").GetInt64(), kinds["chat"].GetProperty("matching").GetInt64(), kinds["chat"].GetProperty("missing_from_database").GetInt64()));
        Assert.Equal((3L, 0L), (kinds["gifts"].GetProperty("pruned").GetInt64(), kinds["gifts"].GetProperty("missing_from_database").GetInt64()));
        Assert.Equal((0L, 3L), (kinds["admin_actions"].GetProperty("pruned").GetInt64(), kinds["admin_actions"].GetProperty("matching").GetInt64()));
    }

    private async Task<(int Code, string Output)> PruneAsync()
    {
        var settings = new Dictionary<string, string?>(Tool.DatabaseSettings)
        {
            ["Storage:Mode"] = "DatabaseOnly",
            ["Storage:LegacyPath"] = Tool.Legacy,
            ["Storage:BackupsPath"] = Tool.Backups,
            ["Retention:ChatDays"] = "30",
            ["Retention:GiftDays"] = "30",
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(["prune", "--json"], settings, output, error);
        return (code, code == 0 ? JsonDocument.Parse(output.ToString()).RootElement.ToString() : error.ToString());
    }
}

public sealed class PrunedLinesOnSqlite() : PrunedLinesTests(DatabaseProvider.Sqlite);

public sealed class PrunedLinesOnPostgres() : PrunedLinesTests(DatabaseProvider.PostgreSQL);
