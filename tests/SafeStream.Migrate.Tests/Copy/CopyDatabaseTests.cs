using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Copy;

/// <summary><c>copy-database</c> from a SQLite file holding every kind of record into a real PostgreSQL 15.</summary>
public sealed class CopyDatabaseTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private Tool _tool = null!;

    public async ValueTask InitializeAsync()
    {
        await postgres.ResetAsync();
        _dir.CopyLegacySample();
        _tool = new Tool(_dir);
        await _tool.RunAsync("import"); // users, chat, gifts and admin actions with source keys
        await using var server = Stores.Database(_tool.Database);
        await server.AppendAsync(
        [
            new ChatMessage(9_000_001, "alice", "live and blocked", Toxic: true, Score: 0.987654321, Blocked: true, Ts: DateTimeOffset.UnixEpoch.AddTicks(17_000_000_000_000_010)),
            new Gift(9_000_002, "bob", 3, 25, DateTimeOffset.UnixEpoch.AddDays(20_000)),
            new AdminAction(9_000_003, "alice", "reset_metrics", null, null, DateTimeOffset.UnixEpoch.AddDays(20_001)),
        ], Ct);
        await server.UpdateUserAsync("bob", new UserPatch { MutedUntil = DateTimeOffset.UnixEpoch.AddDays(30_000) }, Ct);
        await server.SetSettingAsync(SettingKeys.ToxicityThreshold, "0.42", Ct);
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheCopyIsVerifiedEqualAndASecondRunCopiesNothing()
    {
        var first = await CopyAsync();
        var second = await CopyAsync();

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Contains("copy: chat_messages: 9 in the source, 9 copied", first.Output, StringComparison.Ordinal);
        Assert.Equal(5, first.Output.Split('\n').Count(l => l.StartsWith("compare: ", StringComparison.Ordinal) && l.EndsWith(", equal", StringComparison.Ordinal)));
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Equal(5, second.Output.Split('\n').Count(l => l.StartsWith("copy: ", StringComparison.Ordinal) && l.Contains(", 0 copied", StringComparison.Ordinal)));
        Assert.Equal(await _tool.EventsAsync(), await new Tool(_dir, postgres).EventsAsync());
        Assert.Equal(Db.Scalar(_tool.Database, "SELECT muted_until_at FROM users WHERE username = 'bob'"), await postgres.ScalarAsync("SELECT muted_until_at FROM users WHERE username = 'bob'"));
        Assert.Equal(Db.Scalar(_tool.Database, "SELECT count(source_key) FROM chat_messages"), await postgres.ScalarAsync("SELECT count(source_key) FROM chat_messages"));
    }

    [Fact]
    public async Task AnInterruptedCopyResumesAndALateEventWithAnOlderIdIsFound()
    {
        await CopyAsync();
        await postgres.ScalarAsync("WITH gone AS (DELETE FROM chat_messages WHERE id IN (SELECT id FROM chat_messages ORDER BY id DESC LIMIT 4) RETURNING id) SELECT count(*) FROM gone");
        await using (var server = Stores.Database(_tool.Database))
        {
            await server.AppendAsync([new ChatMessage(5, "carol", "replayed late", false, 0.1, false, DateTimeOffset.UnixEpoch.AddDays(19_000))], Ct);
        }

        var resumed = await CopyAsync();

        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        Assert.Contains("copy: chat_messages: 10 in the source, 5 copied", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(10, await postgres.ScalarAsync("SELECT count(*) FROM chat_messages"));
    }

    [Fact]
    public async Task ARowChangedInTheTargetIsReportedAndFailsTheRun()
    {
        await CopyAsync();
        await postgres.ScalarAsync("WITH changed AS (UPDATE chat_messages SET message = 'edited' WHERE id = 9000001 RETURNING id) SELECT count(*) FROM changed");

        var again = await CopyAsync();

        Assert.Equal(ExitCodes.Differences, again.ExitCode);
        Assert.Contains("chat_messages id 9000001: differs", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWayBackCopiesPostgresIntoANewSqliteFile()
    {
        await CopyAsync();
        var back = _dir["back/safestream.db"];

        var result = await new Tool(_dir, postgres).RunAsync("copy-database", "--to-provider", "Sqlite", "--to-connection", $"Data Source={back}");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Db.Events(_tool.Database), Db.Events(back));
        Assert.Equal(Db.Scalar(_tool.Database, "SELECT count(*) FROM users"), Db.Scalar(back, "SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task TheTargetsPasswordComesFromStandardInputAndAnInlineOneStillWorksWithAWarning()
    {
        var fromStdin = await CopyWithAsync(["--to-connection", postgres.ConnectionString, "--to-password-stdin"], "from-stdin\n");
        var empty = await CopyWithAsync(["--to-connection", postgres.ConnectionString, "--to-password-stdin"], "");
        var twice = await CopyWithAsync(["--to-connection", postgres.ConnectionString + ";Password=inline-secret", "--to-password-stdin"], "from-stdin\n");
        var inline = await CopyWithAsync(["--to-connection", postgres.ConnectionString + ";Password=inline-secret"], "");

        Assert.Equal(ExitCodes.Ok, fromStdin.ExitCode);
        Assert.DoesNotContain("from-stdin", fromStdin.Output, StringComparison.Ordinal);
        Assert.Equal((ExitCodes.Usage, ExitCodes.Usage), (empty.ExitCode, twice.ExitCode));
        Assert.Contains("standard input holds no password", empty.Output, StringComparison.Ordinal);
        Assert.Contains("given twice", twice.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, inline.ExitCode);
        Assert.Contains("warning: the password in --to-connection is visible", inline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("inline-secret", inline.Output, StringComparison.Ordinal);
    }

    private async Task<ToolResult> CopyWithAsync(string[] args, string stdin)
    {
        using var output = new StringWriter();
        using var input = new StringReader(stdin);
        var exit = await MigrateTool.RunAsync(["copy-database", .. args, .. _tool.Flags], ToolConsole.Plain(output, input: input), TimeProvider.System, Ct);
        return new ToolResult(exit, output.ToString());
    }

    private Task<ToolResult> CopyAsync() => _tool.RunAsync("copy-database", "--to-connection", postgres.ConnectionString);
}
