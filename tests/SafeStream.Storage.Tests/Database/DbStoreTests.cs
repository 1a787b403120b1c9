using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Database;

public sealed class DbStoreTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AnEventWhoseIdIsTakenByAnotherIsReportedAndNeverDroppedInSilence()
    {
        var options = Stores.Options(_dir);
        await using var store = Stores.Database(options);
        var first = _events.Chat("alice", "the first event with this id");
        var other = _events.Chat("bob", "another event that got the same id") with { Id = first.Id };
        var fresh = _events.Chat("carol", "stored beside it");
        await store.AppendAsync([first], Ct);

        await store.AppendAsync([first], Ct); // the same event again (a replay): harmless
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.AppendAsync([other, fresh], Ct));

        Assert.Equal(first.Id, Assert.IsType<IdConflictException>(error.InnerException).Id);
        Assert.Equal(1, store.IdConflicts);
        Assert.Contains("another event that got the same id", store.LastConflict, StringComparison.Ordinal);
        Assert.Equal(2, DatabaseProbe.Scalar(options, "SELECT COUNT(*) FROM chat_messages"));
        Assert.Equal(1, DatabaseProbe.Scalar(options, $"SELECT COUNT(*) FROM chat_messages WHERE id = {first.Id} AND username = 'alice'"));
    }

    [Fact]
    public async Task AnImportedLineIsInsertedOnceWhateverIdItIsGivenNextTime()
    {
        var options = Stores.Options(_dir);
        await using var store = Stores.Database(options);
        var key = new byte[36];
        key[0] = 7;
        var first = _events.Chat("alice", "legacy line");
        var again = first with { Id = first.Id + 1 };

        var inserted = await store.ExecuteAsync(new AppendEvents([first], [key]), Ct);
        var reinserted = await store.ExecuteAsync(new AppendEvents([again], [key]), Ct);

        Assert.Equal((1, 0), (inserted.Inserted, reinserted.Inserted));
        Assert.Equal(1, DatabaseProbe.Scalar(options, "SELECT COUNT(*) FROM chat_messages"));
    }

    [Fact]
    public async Task TheSchemaComesFromTheCommittedMigrationsWithWalAndForeignKeys()
    {
        var options = Stores.Options(_dir);
        await using var store = MigrationDatabase.Open(options, TimeProvider.System, NullLoggerFactory.Instance, DatabaseCreation.OnFirstStart);

        await store.EnsureReadyAsync(Ct);

        Assert.EndsWith("_ChangeStamps", await store.SchemaVersionAsync(Ct), StringComparison.Ordinal);
        using var connection = new SqliteConnection(options.ConnectionString + ";Foreign Keys=True");
        connection.Open();
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal("1", Pragma(connection, "foreign_keys"));
    }

    [Fact]
    public async Task ToxicOnlyQueriesUseThePartialIndex()
    {
        var options = Stores.Options(_dir);
        await using var store = Stores.Database(options);
        await store.EnsureReadyAsync(Ct);
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM chat_messages WHERE toxic AND ts >= 0 ORDER BY ts DESC LIMIT 100";

        var plan = string.Join(" | ", Rows(command));

        Assert.Contains("IX_chat_messages_toxic_ts", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupOfConcurrentAppendsIsCommittedTogetherAndEachIsAcknowledged()
    {
        var options = Stores.Options(_dir);
        await using var store = Stores.Database(options);
        var events = Enumerable.Range(0, 500).Select(i => (StorageEvent)_events.Chat($"u{i % 9}", $"m{i}")).ToList();

        await Task.WhenAll(events.Select(e => store.AppendAsync([e], Ct)));

        Assert.Equal((500L, 500L, 0L), DatabaseProbe.ChatIds(options, events.Select(e => e.Id)));
    }

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static IEnumerable<string> Rows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(3);
        }
    }
}
