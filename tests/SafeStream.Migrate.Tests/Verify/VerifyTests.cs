using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Verify;

/// <summary>Files against database after an import of the sample, and after each side is changed behind the tool's back.</summary>
public abstract class VerifyTests(DatabaseProvider provider) : ToolTests(provider)
{
    [Fact]
    public async Task AfterAnImportVerifyIsCleanWithEqualDigests()
    {
        await Tool.RunAsync("import");

        var result = await Tool.RunAsync("verify", "--json");

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
        await Tool.RunAsync("import");
        await Tool.ExecuteAsync("DELETE FROM chat_messages WHERE message = 'next day'");

        var result = await Tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        Assert.Contains($"missing from database: chat {Path.Combine(Tool.Logs, "chat_2025-06-28.jsonl")}:1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExtraLineInTheFilesIsMissingFromTheDatabase()
    {
        await Tool.RunAsync("import");
        var log = Path.Combine(Tool.Logs, "chat_2025-06-27.jsonl");
        LegacyLog.Append(log, [LegacyLog.Gift(7)]);

        var result = await Tool.RunAsync("verify", "--json");

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
        await Tool.RunAsync("import");
        await Tool.ExecuteAsync("UPDATE gifts SET amount = amount + 1 WHERE from_user = 'donor'");

        var result = await Tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        var gifts = result.Json.GetProperty("kinds")[2];
        Assert.Equal(1, gifts.GetProperty("different").GetInt64());
        Assert.NotEqual(gifts.GetProperty("files_digest").GetString(), gifts.GetProperty("database_digest").GetString());
    }

    [Fact]
    public async Task RecordsTheServerWroteToTheDatabaseOnlyAreListedButNoDifference()
    {
        await Tool.RunAsync("import");
        var live = LegacyLog.Chat(5) with { Id = 4242 };
        await using (var server = Tool.Server())
        {
            await server.AppendAsync([live], Ct);
            await server.CreateUserAsync(new User { Username = "newcomer", PasswordHash = "$2b$12$y" }, Ct);
        }

        var result = await Tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("database only (written by the server, not a difference): chat id 4242", result.Output, StringComparison.Ordinal);
        Assert.Contains("database only (written by the server, not a difference): users user newcomer", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserMissingFromTheDatabaseIsADifference()
    {
        await Tool.RunAsync("import");
        await Tool.ExecuteAsync("DELETE FROM users WHERE username = 'carol'");

        var result = await Tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        var finding = Assert.Single(result.Json.GetProperty("differences").EnumerateArray());
        Assert.Equal("carol", finding.GetProperty("username").GetString());
    }

    [Fact]
    public async Task VerifyWithoutADatabaseFailsAndCreatesNone()
    {
        var result = await Tool.RunAsync("verify");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("run import first", result.Output, StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }
}

public sealed class VerifyOnSqlite() : VerifyTests(DatabaseProvider.Sqlite);

public sealed class VerifyOnPostgres() : VerifyTests(DatabaseProvider.PostgreSQL);
