using Npgsql;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// The runbook on PostgreSQL from step 1 (the database the service makes when DualWrite starts), and at the end the
/// way back to the embedded file: <c>copy-database</c> into SQLite, every table equal.
/// </summary>
public sealed class PostgresRunbookWalkTests(PostgresDatabase database) : RunbookWalk, IClassFixture<PostgresDatabase>
{
    protected override IReadOnlyDictionary<string, string>? Database => new Dictionary<string, string>
    {
        ["Provider"] = "PostgreSQL",
        ["ConnectionString"] = database.ConnectionString,
    };

    [Fact]
    public async Task TheRunbookWalkedUnderChatLoadLosesAndDoublesNothing()
    {
        await database.DropAsync(); // a new deployment: step 1 makes it
        await WalkAsync();
    }

    protected override Task<DatabaseLock> TakeWriteLockAsync() => DatabaseLock.PostgresAsync(database.ConnectionString);

    protected override async Task<IReadOnlyList<(long Id, string Text)>> WalkMessagesAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT id, message FROM chat_messages WHERE message LIKE 'walk %'", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }

    protected override Task<long> ReplacedNulMessagesAsync() =>
        database.ScalarAsync("SELECT count(*) FROM chat_messages WHERE strpos(message, chr(65533)) > 0");

    /// <summary>MIGRATION.md's way back to SQLite: with the service stopped, one pass ends with every table equal.</summary>
    protected override async Task AfterTheWalkAsync()
    {
        var copy = await Site.MigrateAsync("copy-database", "--to-provider", "Sqlite", "--to-connection", $"Data Source={Site["data/back-to-sqlite.db"]}");

        Assert.True(copy.ExitCode == 0, copy.Output + copy.Error);
        Assert.DoesNotContain("differ", copy.Output, StringComparison.Ordinal);
        Assert.Equal(await database.ScalarAsync("SELECT count(*) FROM chat_messages"), DatabaseProbe.Scalar(Site["data/back-to-sqlite.db"], "SELECT count(*) FROM chat_messages"));
    }
}
