using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Storage.Tests.Retention;

/// <summary>
/// The retention floor in the writer itself, on both providers: once a run raised it, no insert path stores an event
/// below it again, small batches (PostgreSQL's <c>INSERT … unnest</c>) and large ones (its COPY) alike.
/// </summary>
public sealed class RetentionFloorTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly EventIdGenerator _ids = new(TimeProvider.System, 3);

    public async ValueTask InitializeAsync() => await postgres.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, 10)]
    [InlineData(DatabaseProvider.Sqlite, 1500)]
    [InlineData(DatabaseProvider.PostgreSQL, 10)]
    [InlineData(DatabaseProvider.PostgreSQL, 1500)]
    public async Task NothingOlderThanTheFloorIsInsertedAgainWhileNewerEventsAndAdminActionsAre(DatabaseProvider provider, int old)
    {
        var options = Stores.Options(_dir);
        if (provider == DatabaseProvider.PostgreSQL)
        {
            postgres.Options(options);
        }

        await using var store = Stores.Database(options);
        await store.EnsureReadyAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        await new DatabasePruner(store.Dialect).RaiseFloorAsync(new RetentionFloor(now.AddDays(-30), now.AddDays(-30)), now, Ct);
        var events = new List<StorageEvent>();
        events.AddRange(Enumerable.Range(0, old).Select(i => new ChatMessage(_ids.Next(), "old", $"m{i}", false, 0, false, now.AddDays(-31))));
        events.AddRange(Enumerable.Range(0, old).Select(i => new Gift(_ids.Next(), "old", 1, 1, now.AddDays(-31))));
        events.AddRange(Enumerable.Range(0, 3).Select(i => new AdminAction(_ids.Next(), "root", "mute", "old", null, now.AddDays(-400))));
        events.AddRange(Enumerable.Range(0, 4).Select(i => new ChatMessage(_ids.Next(), "new", $"n{i}", false, 0, false, now.AddDays(-29))));
        events.Add(new Gift(_ids.Next(), "new", 2, 1, now.AddDays(-29)));

        var result = await store.ExecuteAsync(new AppendEvents(events), Ct);
        var floor = await new DatabasePruner(store.Dialect).FloorAsync(Ct);

        Assert.Equal(8, result.Inserted);
        Assert.Empty(result.Conflicts);
        Assert.Equal(Micros.Truncate(now.AddDays(-30)), floor.Chat);
        await using var context = await store.ContextAsync(Ct);
        Assert.Equal(4, context.ChatMessages.Count());
        Assert.Equal(1, context.Gifts.Count());
        Assert.Equal(3, context.AdminActions.Count());
    }

    [Fact]
    public async Task AFloorOnlyRises()
    {
        var options = Stores.Options(_dir);
        await using var store = Stores.Database(options);
        await store.EnsureReadyAsync(Ct);
        var pruner = new DatabasePruner(store.Dialect);
        var now = DateTimeOffset.UtcNow;

        await pruner.RaiseFloorAsync(new RetentionFloor(now.AddDays(-10), null), now, Ct);
        await pruner.RaiseFloorAsync(new RetentionFloor(now.AddDays(-60), now.AddDays(-5)), now, Ct);

        Assert.Equal(new RetentionFloor(Micros.Truncate(now.AddDays(-10)), Micros.Truncate(now.AddDays(-5))), await pruner.FloorAsync(Ct));
    }
}
