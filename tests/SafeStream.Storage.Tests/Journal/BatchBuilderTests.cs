using SafeStream.Storage.Journal;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Tests.Journal;

/// <summary>A replay announces to the other instances only what is still news; older events are history.</summary>
public sealed class BatchBuilderTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EventsSaidSinceTheCutOffAreReplayedLiveAndOlderOnesAreNot()
    {
        var builder = new BatchBuilder(Since);
        foreach (var (id, ts) in new[] { (1L, Since.AddSeconds(-5)), (2L, Since.AddSeconds(-1)), (3L, Since), (4L, Since.AddSeconds(2)) })
        {
            builder.Add(new AppendEvents([new ChatMessage(id, "alice", $"m{id}", false, 0.0, false, ts)]));
        }

        builder.Add(new PutSetting("threshold", "0.7", Since));
        builder.Add(new AppendEvents([new ChatMessage(5, "alice", "m5", false, 0.0, false, Since.AddSeconds(-9))]));

        var ops = builder.Build();

        Assert.Equal(6, builder.Records);
        Assert.Collection(
            ops,
            op => Assert.Equal("history 1,2", Shape(op)),
            op => Assert.Equal("news 3,4", Shape(op)),
            op => Assert.IsType<PutSetting>(op),
            op => Assert.Equal("history 5", Shape(op)));
    }

    private static string Shape(WriteOp op)
    {
        var append = Assert.IsType<AppendEvents>(op);
        return $"{(append.Live ? "news" : "history")} {string.Join(',', append.Events.Select(e => e.Id))}";
    }
}
