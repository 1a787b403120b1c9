using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Verify;

/// <summary>Files against database after an import of the sample, and after each side is changed behind the tool's back.</summary>
public sealed class VerifyTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly Tool _tool;

    public VerifyTests()
    {
        _dir.CopyLegacySample();
        _tool = new Tool(_dir);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AfterAnImportVerifyIsCleanWithEqualDigests()
    {
        await _tool.RunAsync("import");

        var result = await _tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.True(result.Json.GetProperty("clean").GetBoolean());
        var kinds = result.Json.GetProperty("kinds").EnumerateArray().ToList();
        Assert.Equal(["users", "chat", "gifts", "admin_actions"], kinds.Select(k => k.GetProperty("kind").GetString()));
        Assert.Equal([4L, 8L, 3L, 3L], kinds.Select(k => k.GetProperty("matching").GetInt64()));
        Assert.All(kinds, k => Assert.Equal(k.GetProperty("files_digest").GetString(), k.GetProperty("database_digest").GetString()));
        Assert.Equal(2, result.Json.GetProperty("rejected_lines").GetInt64());
    }

    [Fact]
    public async Task ADeletedRowIsMissingAndNamedByFileAndLine()
    {
        await _tool.RunAsync("import");
        Db.Execute(_tool.Database, "DELETE FROM chat_messages WHERE message = 'next day'");

        var result = await _tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        Assert.Contains($"missing from database: chat {Path.Combine(_tool.Logs, "chat_2025-06-28.jsonl")}:1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExtraLineInTheFilesIsMissingFromTheDatabase()
    {
        await _tool.RunAsync("import");
        var log = Path.Combine(_tool.Logs, "chat_2025-06-27.jsonl");
        LegacyLog.Append(log, [LegacyLog.Gift(7)]);

        var result = await _tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        var finding = Assert.Single(result.Json.GetProperty("differences").EnumerateArray());
        Assert.Equal("gifts", finding.GetProperty("kind").GetString());
        Assert.Equal("missing_from_database", finding.GetProperty("problem").GetString());
        Assert.Equal(log, finding.GetProperty("file").GetString());
        Assert.Equal(7, finding.GetProperty("line").GetInt64());
    }

    [Fact]
    public async Task ARowWhoseContentChangedIsADifference()
    {
        await _tool.RunAsync("import");
        Db.Execute(_tool.Database, "UPDATE gifts SET amount = amount + 1 WHERE from_user = 'donor'");

        var result = await _tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        var gifts = result.Json.GetProperty("kinds")[2];
        Assert.Equal(1, gifts.GetProperty("different").GetInt64());
        Assert.NotEqual(gifts.GetProperty("files_digest").GetString(), gifts.GetProperty("database_digest").GetString());
    }

    [Fact]
    public async Task RecordsTheServerWroteToTheDatabaseOnlyAreListedButNoDifference()
    {
        await _tool.RunAsync("import");
        var live = LegacyLog.Chat(5) with { Id = 4242 };
        await using (var server = Stores.Database(_tool.Database))
        {
            await server.AppendAsync([live], Ct);
            await server.CreateUserAsync(new User { Username = "newcomer", PasswordHash = "$2b$12$y" }, Ct);
        }

        var result = await _tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("database only (written by the server, not a difference): chat id 4242", result.Output, StringComparison.Ordinal);
        Assert.Contains("database only (written by the server, not a difference): users user newcomer", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserMissingFromTheDatabaseIsADifference()
    {
        await _tool.RunAsync("import");
        Db.Execute(_tool.Database, "DELETE FROM users WHERE username = 'carol'");

        var result = await _tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        var finding = Assert.Single(result.Json.GetProperty("differences").EnumerateArray());
        Assert.Equal("carol", finding.GetProperty("username").GetString());
    }

    [Fact]
    public async Task VerifyWithoutADatabaseFailsAndCreatesNone()
    {
        var result = await _tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("run import first", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_tool.Database));
    }
}
