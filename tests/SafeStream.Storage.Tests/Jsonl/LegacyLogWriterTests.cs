using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Jsonl;

public sealed class LegacyLogWriterTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ALogIsRotatedBeforeAWriteWouldPassTheLimitKeepingTheLegacyNames()
    {
        using var writer = new LegacyLogWriter(_dir.Path, Day, maxBytes: 1000, backups: 3, FsyncPolicy.EveryWrite, 50, TimeProvider.System);
        var events = Enumerable.Range(0, 60).Select(i => (StorageEvent)_events.Chat("user", $"message number {i:D3}")).ToList();

        foreach (var e in events)
        {
            await writer.AppendAsync([e]);
        }

        var files = LogFiles.OldestFirst(_dir.Path).Select(Path.GetFileName).ToList();
        Assert.Equal(["chat_2026-11-23.jsonl.3", "chat_2026-11-23.jsonl.2", "chat_2026-11-23.jsonl.1", "chat_2026-11-23.jsonl"], files);
        Assert.All(LogFiles.OldestFirst(_dir.Path), f => Assert.InRange(new FileInfo(f).Length, 1, 1000));
        var kept = LegacyLogReader.Events(_dir.Path).ToList();
        Assert.Equal(events.TakeLast(kept.Count), kept);
        Assert.True(kept.Count < events.Count, "the oldest backups beyond .3 were deleted");
    }

    [Fact]
    public async Task ABatchThatCrossesTheLimitIsSplitAcrossTheRotation()
    {
        using var writer = new LegacyLogWriter(_dir.Path, Day, maxBytes: 1000, backups: 10, FsyncPolicy.Interval, 5, TimeProvider.System);
        var events = Enumerable.Range(0, 30).Select(i => (StorageEvent)_events.Gift($"donor{i}", i + 1)).ToList();

        await writer.AppendAsync(events);

        Assert.Equal(events, LegacyLogReader.Events(_dir.Path));
        Assert.True(LogFiles.OldestFirst(_dir.Path).Count > 1);
    }

    [Fact]
    public async Task AppendsGoToTheFileOfTheDayTheProcessStartedWithoutABom()
    {
        using var writer = new LegacyLogWriter(_dir.Path, Day, 10 << 20, 10, FsyncPolicy.EveryWrite, 50, TimeProvider.System);

        await writer.AppendAsync([_events.Chat("josé", "café")]);

        var bytes = File.ReadAllBytes(Path.Combine(_dir.Path, "chat_2026-11-23.jsonl"));
        Assert.Equal((byte)'{', bytes[0]);
        Assert.Equal((byte)'\n', bytes[^1]);
    }
}
