using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Jsonl;

/// <summary>
/// A new file or a rename is durable only once its folder is synced: without it a power loss can take back a journal
/// segment whose appends were acknowledged, or a rotation. (Power loss cannot be caused here; the sync can be seen.)
/// </summary>
public sealed class DirectorySyncTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();
    private readonly List<string> _synced = [];

    public DirectorySyncTests() => DirectorySync.Flushed += Seen;

    public void Dispose()
    {
        DirectorySync.Flushed -= Seen;
        _dir.Dispose();
    }

    [Fact]
    public async Task ANewJournalSegmentIsSyncedIntoItsFolderBeforeTheAppendIsAcknowledged()
    {
        using var journal = new SpillJournal(_dir["journal"], FsyncPolicy.EveryWrite, 50, TimeProvider.System, NullLogger<SpillJournal>.Instance, segmentBytes: 200);

        await journal.AppendAsync([new AppendEvents([_events.Chat("u", "opens the first segment")])]);
        await journal.AppendAsync([new AppendEvents([_events.Chat("u", "fills it past its size")])]);
        var before = Synced(_dir["journal"]);
        await journal.AppendAsync([new AppendEvents([_events.Chat("u", "opens the second")])]);

        Assert.Equal(2, JournalFiles.Segments(_dir["journal"]).Count);
        Assert.Equal(before + 1, Synced(_dir["journal"]));
    }

    [Fact]
    public async Task ALogRotationIsSyncedIntoItsFolder()
    {
        using var writer = new LegacyLogWriter(_dir["logs"], new DateOnly(2026, 11, 23), maxBytes: 300, backups: 3, FsyncPolicy.EveryWrite, 50, TimeProvider.System);
        await writer.AppendAsync([_events.Chat("u", "a line of the first file")]);
        var before = Synced(_dir["logs"]);

        await writer.AppendAsync([_events.Chat("u", "a line long enough to rotate the first file away" + new string('.', 200))]);

        Assert.True(File.Exists(_dir["logs/chat_2026-11-23.jsonl.1"]));
        Assert.True(Synced(_dir["logs"]) >= before + 2, "the rename to .1 and the new file"); // rotation, then the new file
    }

    private int Synced(string folder)
    {
        lock (_synced)
        {
            return _synced.Count(f => f == Path.GetFullPath(folder));
        }
    }

    private void Seen(string folder)
    {
        lock (_synced)
        {
            _synced.Add(folder);
        }
    }
}
