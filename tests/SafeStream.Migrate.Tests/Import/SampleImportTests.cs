using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>The legacy sample: 4 users, 8 chat messages, 3 gifts, 3 admin actions, a malformed line and a truncated tail.</summary>
public abstract class SampleImportTests(DatabaseProvider provider) : ToolTests(provider)
{
    [Fact]
    public async Task TheSampleImportsToTheExpectedCountsAndTheLegacyPasswordsStillWork()
    {
        var result = await Tool.RunAsync("import");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal((8, 3, 3), await Tool.EventsAsync());
        await using var store = Tool.Server();
        var alice = await store.FindUserAsync("alice", Ct);
        var bob = await store.FindUserAsync("bob", Ct);
        var carol = await store.FindUserAsync("carol", Ct);
        var jose = await store.FindUserAsync("José", Ct);
        Assert.True(BCrypt.Net.BCrypt.Verify("secret123", alice!.PasswordHash));
        Assert.True(BCrypt.Net.BCrypt.Verify("hunter22", bob!.PasswordHash));
        Assert.True(BCrypt.Net.BCrypt.Verify("password1", carol!.PasswordHash));
        Assert.True(alice.IsActive && bob.IsActive && jose!.IsActive);
        Assert.False(carol.IsActive);
        Assert.Null(bob.Email);
        Assert.Equal("alice@example.com", alice.Email);
        Assert.Equal(4, await Tool.ScalarAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task TheTwoRejectsAreReportedWithFileLineReasonAndText()
    {
        var result = await Tool.RunAsync("import", "--json");

        var rejectsFile = result.Json.GetProperty("rejects_file").GetString()!;
        var rejects = File.ReadAllLines(rejectsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, result.Json.GetProperty("rejected").GetInt64());
        Assert.Equal(2, rejects.Count);
        Assert.Equal(Path.Combine(Tool.Logs, "chat_2025-06-27.jsonl"), rejects[0].GetProperty("file").GetString());
        Assert.Equal(4, rejects[0].GetProperty("line").GetInt64());
        Assert.Equal("this line is not json", rejects[0].GetProperty("raw").GetString());
        Assert.Equal(Path.Combine(Tool.Logs, "chat_2025-06-28.jsonl"), rejects[1].GetProperty("file").GetString());
        Assert.Equal(3, rejects[1].GetProperty("line").GetInt64());
        Assert.StartsWith("truncated last line", rejects[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"type":"chat","user":"bob","mess""", rejects[1].GetProperty("raw").GetString());
    }

    [Fact]
    public async Task ASecondImportInsertsNothing()
    {
        var first = await Tool.RunAsync("import", "--json");

        var again = await Tool.RunAsync("import", "--json");

        Assert.Equal(14, first.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(ExitCodes.Rejected, again.ExitCode);
        Assert.Equal(0, again.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(14, again.Json.GetProperty("already_present").GetInt64());
        Assert.Equal(4, again.Json.GetProperty("users").GetProperty("already_present").GetInt64());
        Assert.Equal((8, 3, 3), await Tool.EventsAsync());
    }

    [Fact]
    public async Task AfterTheLogsRotatedOnlyTheNewLinesAreInserted()
    {
        await Tool.RunAsync("import");
        var day = new DateOnly(2025, 6, 27);
        LegacyLog.Rotate(Tool.Logs, day);
        var repeated = File.ReadLines(Path.Combine(Tool.Logs, "chat_2025-06-27.jsonl.1")).Last();
        File.WriteAllText(Path.Combine(Tool.Logs, LogFiles.NameFor(day)), repeated + "\n");
        LegacyLog.Append(Path.Combine(Tool.Logs, LogFiles.NameFor(day)), [LegacyLog.Gift(1)]);

        var result = await Tool.RunAsync("import", "--json");

        // The byte-identical line written again after the rotation is a record of its own, like its twin in the sample.
        Assert.Equal(2, result.Json.GetProperty("inserted").GetInt64());
        Assert.Equal((9, 4, 3), await Tool.EventsAsync());
        Assert.Equal(3, await Tool.ScalarAsync("SELECT count(*) FROM chat_messages WHERE message = 'hello everyone' AND ts = (SELECT max(ts) FROM chat_messages WHERE message = 'hello everyone')"));
    }

    [Fact]
    public async Task ADryRunReportsEverythingAndCreatesNoDatabase()
    {
        var result = await Tool.RunAsync("import", "--dry-run", "--json");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.False(await Tool.DatabaseExistsAsync());
        Assert.Equal([8, 3, 3], result.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("read").GetInt64()));
        Assert.Equal(2, result.Json.GetProperty("rejected").GetInt64());
    }
}
