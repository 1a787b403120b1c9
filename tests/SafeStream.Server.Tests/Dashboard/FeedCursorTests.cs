using Moq;
using SafeStream.Server.Dashboard;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Dashboard;

public sealed class FeedCursorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<ChatMessage> _messages = [];
    private readonly List<Gift> _gifts = [];
    private readonly List<AdminAction> _actions = [];
    private readonly Mock<IStorage> _storage = new();
    private readonly List<MessageQuery> _queries = [];

    public FeedCursorTests()
    {
        _storage.Setup(s => s.RecentMessagesAsync(It.IsAny<MessageQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((MessageQuery q, CancellationToken _) =>
            {
                _queries.Add(q);
                return [.. _messages.Where(q.Matches).OrderByDescending(m => m.Ts).Take(q.Limit)];
            });
        _storage.Setup(s => s.RecentGiftsAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((int limit, CancellationToken _) => [.. _gifts.OrderByDescending(g => g.Ts).Take(limit)]);
        _storage.Setup(s => s.RecentAdminActionsAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((int limit, CancellationToken _) => [.. _actions.OrderByDescending(a => a.Ts).Take(limit)]);
    }

    [Fact]
    public async Task TheFirstPollOnlySetsTheBaselineAndLaterOnesAnswerNewEventsOldestFirst()
    {
        var cursor = new FeedCursor(TimeSpan.FromSeconds(5));
        _messages.Add(Chat(1, 0));
        _gifts.Add(new Gift(2, "bob", 1, 1, T0.AddSeconds(1)));

        var first = await cursor.PollAsync(_storage.Object, Ct);
        _messages.Add(Chat(3, 10));
        _actions.Add(new AdminAction(4, "root", "mute", "alice", null, T0.AddSeconds(9)));
        _gifts.Add(new Gift(5, "bob", 2, 1, T0.AddSeconds(11)));
        var second = await cursor.PollAsync(_storage.Object, Ct);
        var third = await cursor.PollAsync(_storage.Object, Ct);

        Assert.Empty(first);
        Assert.Equal([4L, 3L, 5L], second.Select(e => e.Id));
        Assert.Empty(third);
        Assert.Equal(T0.AddSeconds(5), _queries[^1].Since); // the newest seen minus the overlap
    }

    [Fact]
    public async Task AnEventCommittedLateWithinTheOverlapIsStillSentButOlderHistoryIsNot()
    {
        var cursor = new FeedCursor(TimeSpan.FromSeconds(5));
        _messages.Add(Chat(1, 10));
        await cursor.PollAsync(_storage.Object, Ct);

        _messages.Add(Chat(2, 7)); // stored after the poll that saw 10 s, stamped before it
        _messages.Add(Chat(3, 2)); // older than the overlap: history, not news
        var fresh = await cursor.PollAsync(_storage.Object, Ct);

        Assert.Equal([2L], fresh.Select(e => e.Id));
    }

    [Fact]
    public async Task LegacyLinesWithoutAnIdAreNeverSentAsNews()
    {
        var cursor = new FeedCursor(TimeSpan.FromSeconds(5));
        await cursor.PollAsync(_storage.Object, Ct);

        _messages.Add(Chat(0, 1));
        _messages.Add(Chat(7, 2));
        var fresh = await cursor.PollAsync(_storage.Object, Ct);

        Assert.Equal([7L], fresh.Select(e => e.Id));
    }

    [Fact]
    public async Task AfterAResetTheNextPollIsABaselineAgain()
    {
        var cursor = new FeedCursor(TimeSpan.FromSeconds(5));
        await cursor.PollAsync(_storage.Object, Ct);
        _messages.Add(Chat(1, 1));

        cursor.Reset();
        var fresh = await cursor.PollAsync(_storage.Object, Ct);

        Assert.Empty(fresh);
        Assert.True(cursor.HasBaseline);
    }

    private static ChatMessage Chat(long id, int seconds) => new(id, "alice", $"message {id}", false, 0.1, false, T0.AddSeconds(seconds));
}
