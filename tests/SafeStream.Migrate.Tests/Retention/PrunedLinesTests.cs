using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

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

        await PruneAsync();
        var afterPrune = await Tool.EventsAsync();
        var import = await Tool.RunAsync("import", "--json");
        var afterImport = await Tool.EventsAsync();
        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal((9L, 3L, 3L), before);
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

    // The admin command's `prune` (a process of its own in production, the server's, tested with it): the storage
    // registered as a tool on the same configuration, and its retention run.
    private async Task PruneAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(Tool.DatabaseSettings)
        {
            ["Storage:Mode"] = "DatabaseOnly",
            ["Storage:LegacyPath"] = Tool.Legacy,
            ["Storage:BackupsPath"] = Tool.Backups,
            ["Retention:ChatDays"] = "30",
            ["Retention:GiftDays"] = "30",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSafeStreamStorage(builder.Configuration, StorageRole.Tool);
        builder.Services.AddSafeStreamRetention(builder.Configuration, StorageRole.Tool);
        using var host = builder.Build();
        await host.Services.GetRequiredService<IStorageTools>().PrepareAsync(Ct);

        await host.Services.GetRequiredService<Pruner>().RunAsync(dryRun: false, Ct);
    }
}

public sealed class PrunedLinesOnSqlite() : PrunedLinesTests(DatabaseProvider.Sqlite);

public sealed class PrunedLinesOnPostgres() : PrunedLinesTests(DatabaseProvider.PostgreSQL);
