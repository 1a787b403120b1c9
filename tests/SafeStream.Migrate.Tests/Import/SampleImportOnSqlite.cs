using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>On SQLite an import backs the file up before it writes.</summary>
public sealed class SampleImportOnSqlite() : SampleImportTests(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task TheDatabaseIsBackedUpBeforeItIsWritten()
    {
        await Tool.RunAsync("import");
        LegacyLog.Append(Path.Combine(Tool.Logs, "chat_2025-06-29.jsonl"), [LegacyLog.Chat(1)]);

        var result = await Tool.RunAsync("import", "--json");

        var backup = result.Json.GetProperty("backup").GetString()!;
        Assert.StartsWith(Path.GetFullPath(Tool.Backups), backup, StringComparison.Ordinal);
        Assert.Equal((8, 3, 3), Db.Events(backup));
        Assert.Equal((9, 3, 3), await Tool.EventsAsync());
    }
}
