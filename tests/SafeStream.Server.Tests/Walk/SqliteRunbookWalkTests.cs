using Microsoft.Data.Sqlite;

namespace SafeStream.Server.Tests.Walk;

/// <summary>The runbook on the embedded default: SQLite under <c>data/</c>.</summary>
public sealed class SqliteRunbookWalkTests : RunbookWalk
{
    protected override IReadOnlyDictionary<string, string>? Database => null;

    private string DatabaseFile => Site["data/safestream.db"];

    [Fact]
    public Task TheRunbookWalkedUnderChatLoadLosesAndDoublesNothing() => WalkAsync();

    protected override Task<DatabaseLock> TakeWriteLockAsync() => DatabaseLock.SqliteAsync(DatabaseFile);

    protected override Task<IReadOnlyList<(long Id, string Text)>> WalkMessagesAsync()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, message FROM chat_messages WHERE message LIKE 'walk %'";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return Task.FromResult<IReadOnlyList<(long, string)>>(rows);
    }

    protected override Task<long> ReplacedNulMessagesAsync() =>
        Task.FromResult(DatabaseProbe.Scalar(DatabaseFile, "SELECT count(*) FROM chat_messages WHERE instr(message, char(65533)) > 0"));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
