using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Tests.EventIds;

/// <summary>
/// A restart continues past every id in every store the service writes, not only the database's: ids made while the
/// clock ran ahead (and was set back since) must not come again when the database is down or not used at all.
/// </summary>
public sealed class IdSeedingTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _ahead = new(DateTimeOffset.UtcNow.AddHours(1));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AStartWithTheDatabaseDownContinuesPastTheIdsInTheJournal()
    {
        var options = Stores.Options(_dir);
        var journalled = await WriteAheadAsync(options, whileDatabaseIsAway: true);

        var path = Stores.DatabasePath(options);
        File.Move(path, path + ".away");
        var ids = new EventIdGenerator(TimeProvider.System, 0);
        await using var restarted = Stores.Router(options, ids: ids);

        Assert.True(ids.Next() > journalled.Max());
    }

    [Fact]
    public async Task AFilesOnlyStartContinuesPastTheIdsInTheLogs()
    {
        var options = Stores.Options(_dir, StorageMode.JsonlOnly);
        var logged = await WriteAheadAsync(options, whileDatabaseIsAway: false);

        var ids = new EventIdGenerator(TimeProvider.System, 0);
        await using var restarted = Stores.Router(options, ids: ids);

        Assert.True(ids.Next() > logged.Max());
    }

    /// <summary>Appends events whose ids were made an hour ahead of the clock the restart will see.</summary>
    private async Task<List<long>> WriteAheadAsync(StorageOptions options, bool whileDatabaseIsAway)
    {
        var ahead = new EventIdGenerator(_ahead, 0);
        await using var router = Stores.Router(options, _ahead, ahead);
        await router.Replayer.WarmUpAsync(Ct);
        var path = Stores.DatabasePath(options);
        if (whileDatabaseIsAway)
        {
            File.Move(path, path + ".away");
        }

        var events = Enumerable.Range(0, 20).Select(i => (StorageEvent)new ChatMessage(ahead.Next(), "ann", $"m{i}", false, 0.1, false, _ahead.GetUtcNow())).ToList();
        await router.AppendAsync(events, Ct);
        if (whileDatabaseIsAway)
        {
            Assert.Equal(20, router.Current.JournalBacklog);
            File.Move(path + ".away", path);
        }

        return [.. events.Select(e => e.Id)];
    }
}
