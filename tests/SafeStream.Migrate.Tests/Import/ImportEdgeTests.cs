using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>The journal, the lock, and a corrupt users.json.</summary>
public abstract class ImportEdgeTests(DatabaseProvider provider) : ToolTests(provider, sample: false)
{
    [Fact]
    public async Task JournalledEventsAreImportedByIdEvenAfterAPartialReplay()
    {
        ChatMessage[] spilled = [LegacyLog.Chat(1) with { Id = 101 }, LegacyLog.Chat(2) with { Id = 102 }, LegacyLog.Chat(3) with { Id = 103 }];
        var segment = Path.Combine(Tool.Legacy, "journal", "journal-00000001.jsonl");
        LegacyLog.Append(segment, spilled);
        File.AppendAllText(segment, """{"type":"user","username":"dave","hashed_password":"$2b$12$x","is_active":true}""" + "\n");
        await using (var server = Tool.Server())
        {
            await server.AppendAsync([spilled[0]], Ct); // the server's replay got this far
        }

        var result = await Tool.RunAsync("import", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(2, result.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(1, result.Json.GetProperty("journal_writes_left").GetInt64());
        Assert.Equal(3, await Tool.ScalarAsync("SELECT count(*) FROM chat_messages WHERE id IN (101, 102, 103) AND source_key IS NULL"));
        Assert.Equal(0, await Tool.ScalarAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task LegacyTextHoldingNulIsKeptWithTheReplacementCharacterAndVerifiesClean()
    {
        var log = Path.Combine(Tool.Logs, "chat_2025-07-01.jsonl");
        LegacyLog.Append(log, [LegacyLog.Chat(1), LegacyLog.Chat(2) with { Text = "zero\0byte\0" }, LegacyLog.Chat(3)]);
        LegacyLog.Append(log, [new AdminAction(0, "root", "mute_user", "bob", "said \0 twice", LegacyLog.Chat(4).Ts)]);

        var result = await Tool.RunAsync("import", "--json");
        var again = await Tool.RunAsync("import", "--json");
        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(4, result.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(0, result.Json.GetProperty("rejected").GetInt64());
        Assert.Equal(2, result.Json.GetProperty("nul_replaced").GetInt64());
        var kinds = result.Json.GetProperty("events").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("nul_replaced").GetInt64());
        Assert.Equal(1, kinds["chat"]);
        Assert.Equal(1, kinds["admin_actions"]);
        Assert.Equal(0, again.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.Equal(1, await Tool.ScalarAsync("SELECT count(*) FROM chat_messages WHERE message = 'zero\uFFFDbyte\uFFFD'"));
        Assert.Equal(1, await Tool.ScalarAsync("SELECT count(*) FROM admin_actions WHERE details = 'said \uFFFD twice'"));
    }

    [Fact]
    public async Task ANameHoldingNulIsRejectedWithItsReasonAndTheRestImportsAndVerifies()
    {
        var log = Path.Combine(Tool.Logs, "chat_2025-07-01.jsonl");
        LegacyLog.Append(log, [LegacyLog.Chat(1), LegacyLog.Chat(2) with { User = "b\0b" }, LegacyLog.Chat(3)]);

        var result = await Tool.RunAsync("import", "--json");
        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal(2, result.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(1, result.Json.GetProperty("rejected").GetInt64());
        var reject = JsonDocument.Parse(Assert.Single(File.ReadAllLines(result.Json.GetProperty("rejects_file").GetString()!))).RootElement;
        Assert.Equal(2, reject.GetProperty("line").GetInt64());
        Assert.Equal(StoredText.NulReason, reject.GetProperty("reason").GetString());
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.Equal(2, await Tool.ScalarAsync("SELECT count(*) FROM chat_messages"));
    }

    [Fact]
    public async Task TwoImportsNeverRunAtOnce()
    {
        using var running = ToolLock.Acquire(Tool.LockPath, "import");

        var result = await Tool.RunAsync("import");

        Assert.Equal(ExitCodes.Locked, result.ExitCode);
        Assert.Contains("another import, archive, export or copy is running", result.Output, StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }

    [Fact]
    public async Task ACorruptUsersFileStopsTheImportBeforeAnythingIsWrittenAndIsNamed()
    {
        LegacyLog.Append(Path.Combine(Tool.Logs, "chat_2025-07-01.jsonl"), [LegacyLog.Chat(1)]);
        Directory.CreateDirectory(Tool.Legacy);
        File.WriteAllText(Path.Combine(Tool.Legacy, "users.json"), """{"alice": {"username": "alice", """);

        var result = await Tool.RunAsync("import");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains(Path.Combine(Tool.Legacy, "users.json"), result.Output, StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }

    [Fact]
    public async Task AUsersFileNameHoldingALoneSurrogateStopsTheImportAndNamesTheFile()
    {
        // Found by ImportProperties: the file parses as JSON, but "\udfff" is no .NET string; the error named no file.
        LegacyLog.Append(Path.Combine(Tool.Logs, "chat_2025-07-01.jsonl"), [LegacyLog.Chat(1)]);
        File.WriteAllText(Path.Combine(Tool.Legacy, "users.json"), """{"x\udfff": {"hashed_password": "$2b$12$x"}}""");

        var result = await Tool.RunAsync("import");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains(Path.Combine(Tool.Legacy, "users.json"), result.Output, StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }

    [Fact]
    public async Task AnUnknownFlagIsAUsageError()
    {
        var result = await Tool.RunAsync("import", "--batchsize", "5");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task AnInvalidConfigurationIsAUsageErrorNamingTheKey()
    {
        File.WriteAllText(Tool.Config, """{ "Storage": { "InstanceId": 12 } }""");

        var result = await Tool.RunAsync("status");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("InstanceId", result.Output, StringComparison.Ordinal);
    }
}

public sealed class ImportEdgeOnSqlite() : ImportEdgeTests(DatabaseProvider.Sqlite);

public sealed class ImportEdgeOnPostgres() : ImportEdgeTests(DatabaseProvider.PostgreSQL);
