using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Journal;

public sealed class SpillJournalTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryKindOfWriteComesBackInOrderWithConsecutiveEventsMerged()
    {
        using var journal = Open();
        var user = TestEvents.User("erin", "erin@example.com");
        var patch = new PatchUser("erin", new UserPatch { MutedUntil = DateTimeOffset.UnixEpoch.AddDays(1), IsAdmin = false }, DateTimeOffset.UnixEpoch);
        var a = _events.Chat("erin", "one");
        var b = _events.Gift("erin", 2);
        var c = _events.Action("alice", "kick", "erin");

        await journal.AppendAsync([new CreateUser(user), new AppendEvents([a]), new AppendEvents([b])]);
        await journal.AppendAsync([patch, new PutSetting("toxicity_threshold", "0.7", DateTimeOffset.UnixEpoch.AddDays(2)), new AppendEvents([c])]);
        var batch = journal.Read(100);

        Assert.Equal(6, batch.Records);
        Assert.Equal(new CreateUser(user), batch.Ops[0]);
        Assert.Equal([a, b], Assert.IsType<AppendEvents>(batch.Ops[1]).Events);
        Assert.Equal(patch, batch.Ops[2]);
        Assert.Equal(new PutSetting("toxicity_threshold", "0.7", DateTimeOffset.UnixEpoch.AddDays(2)), batch.Ops[3]);
        Assert.Equal([c], Assert.IsType<AppendEvents>(batch.Ops[4]).Events);
    }

    [Fact]
    public async Task TheCheckpointMovesOnlyOnCompletionAndSurvivesAReopen()
    {
        var events = Enumerable.Range(0, 10).Select(i => (StorageEvent)_events.Chat("u", $"m{i}")).ToList();
        using (var journal = Open())
        {
            await journal.AppendAsync([new AppendEvents(events)]);
            journal.Read(4); // read but never completed: a crash before the commit
            journal.Complete(journal.Read(4));
        }

        using var reopened = Open();
        var rest = reopened.Read(100);

        Assert.Equal(6, reopened.Backlog);
        Assert.Equal(events.Skip(4), Assert.IsType<AppendEvents>(Assert.Single(rest.Ops)).Events);
    }

    [Fact]
    public async Task ALastLineStillBeingWrittenIsNotConsumed()
    {
        using var journal = Open();
        var whole = _events.Chat("u", "whole");
        await journal.AppendAsync([new AppendEvents([whole])]);
        var segment = JournalFiles.Segments(_dir.Path).Single();
        File.AppendAllText(segment, "{\"type\":\"chat\",\"user\":\"u\",\"mess");

        var batch = journal.Read(100);
        journal.Complete(batch);

        Assert.Equal([whole], Assert.IsType<AppendEvents>(Assert.Single(batch.Ops)).Events);
        Assert.Equal(0, journal.Backlog);
        Assert.Empty(journal.Read(100).Ops);
    }

    [Fact]
    public async Task ALineTornByACrashIsSkippedOnceANewerSegmentExists()
    {
        using (var crashed = Open())
        {
            await crashed.AppendAsync([new AppendEvents([_events.Chat("u", "before the crash")])]);
        }

        File.AppendAllText(JournalFiles.Segments(_dir.Path).Single(), "{\"type\":\"chat\",\"us");
        using var restarted = Open();
        var after = _events.Chat("u", "after the restart");
        await restarted.AppendAsync([new AppendEvents([after])]);

        var batch = restarted.Read(100);

        Assert.Equal(["before the crash", "after the restart"], Assert.IsType<AppendEvents>(Assert.Single(batch.Ops)).Events.Cast<ChatMessage>().Select(m => m.Text));
        Assert.Equal(2, batch.Records);
    }

    [Fact]
    public async Task FullyReplayedSegmentsAreDeleted()
    {
        using var journal = Open(segmentBytes: 300);
        for (var i = 0; i < 10; i++)
        {
            await journal.AppendAsync([new AppendEvents([_events.Chat("u", $"message {i}")])]);
        }

        var segments = JournalFiles.Segments(_dir.Path).Count;
        journal.Complete(journal.Read(1000));

        Assert.True(segments > 1);
        Assert.Empty(JournalFiles.Segments(_dir.Path));
        Assert.Equal(0, JournalFiles.Backlog(_dir.Path));
    }

    [Fact]
    public async Task OnlyTheOwnerOfTheFolderWritesItAndTheOthersAreToldWhoDoes()
    {
        using var owner = Open();
        await owner.AppendAsync([new AppendEvents([_events.Chat("u", "the owner's")])]);
        using var other = Open();

        var append = await Assert.ThrowsAsync<JournalOwnedException>(() => other.AppendAsync([new AppendEvents([_events.Chat("u", "not allowed")])]));
        var complete = Assert.Throws<JournalOwnedException>(() => other.Complete(other.Read(100)));

        Assert.Contains($"the journal folder {_dir.Path} belongs to another process (pid {Environment.ProcessId}", append.Message, StringComparison.Ordinal);
        Assert.Equal(append.Message, complete.Message);
        Assert.Equal(1, other.Backlog);
        Assert.Equal(1, owner.Backlog);
    }

    [Fact]
    public async Task TheBacklogIsWhatTheSegmentsHoldAfterTheCheckpoint()
    {
        using (var owner = Open(segmentBytes: 300))
        {
            for (var i = 0; i < 10; i++)
            {
                await owner.AppendAsync([new AppendEvents([_events.Chat("u", $"message {i}")])]);
            }

            owner.Complete(owner.Read(4));
            Assert.Equal(6, owner.Backlog);
            Assert.Equal(6, JournalFiles.Backlog(_dir.Path)); // what another process reads off the disk
        }

        File.AppendAllText(JournalFiles.Segments(_dir.Path)[^1], "{\"type\":\"chat\",\"us"); // torn by a crash
        using var reopened = Open();

        Assert.Equal(6, reopened.Backlog);
    }

    [Fact]
    public async Task TheSegmentOpenForWritingSurvivesACompletionAndKeepsWhatIsWrittenAfter()
    {
        using var journal = Open();
        await journal.AppendAsync([new AppendEvents([_events.Chat("u", "first")])]);
        var batch = journal.Read(100);
        var late = _events.Chat("u", "written after the read");
        await journal.AppendAsync([new AppendEvents([late])]);

        journal.Complete(batch);
        var rest = journal.Read(100);

        Assert.Single(JournalFiles.Segments(_dir.Path));
        Assert.Equal(1, journal.Backlog);
        Assert.Equal([late], Assert.IsType<AppendEvents>(Assert.Single(rest.Ops)).Events);
    }

    private SpillJournal Open(long segmentBytes = 64 << 20) =>
        new(_dir.Path, FsyncPolicy.EveryWrite, 50, TimeProvider.System, NullLogger<SpillJournal>.Instance, segmentBytes);
}
