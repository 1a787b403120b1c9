using Microsoft.Extensions.DependencyInjection;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>
/// DatabaseFirst on two instances while the database is away: each journals to its own folder and replays its own
/// journal. A message said during the outage reaches the viewers of its sender's instance at once, and the other
/// instance's viewers once it is replayed (within <c>SpillJournal.NewsFor</c> it is still news), each exactly once.
/// </summary>
public sealed class OutageAcrossInstancesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AMessageSaidDuringAnOutageReachesTheOtherInstanceOnceWhenReplayed()
    {
        await using var cluster = Instances.Start(database, 2, StorageMode.DatabaseFirst);
        await using var alice = await cluster[0].ConnectAsync("alice", await cluster[0].RegisterAsync("alice"));
        await using var local = await cluster[0].ConnectAsync("carol", await cluster[0].RegisterAsync("carol"));
        await using var remote = await cluster[1].ConnectAsync("bob", await cluster[1].RegisterAsync("bob"));

        await database.GoAwayAsync();
        await alice.SendChatAsync("during");
        var echo = await alice.ReceiveAsync();
        var localHeard = await local.ReceiveAsync();
        await database.ComeBackAsync();
        await Instances.EventuallyAsync(
            () => Task.FromResult(Status(cluster[0]) is { JournalBacklog: 0, Breaker: "Closed" } && Status(cluster[1]).Breaker == "Closed"),
            "both instances are back on the database and the journal is replayed",
            TimeSpan.FromSeconds(30));
        var remoteHeard = await remote.ReceiveAsync(); // announced by the replay
        await alice.SendChatAsync("after");
        var remoteNext = await remote.ReceiveAsync();
        var (_, recent) = await cluster[1].GetAsync("/api/recent");

        Assert.Equal("during", echo.GetProperty("message").GetString());
        Assert.Equal("during", localHeard.GetProperty("message").GetString());
        Assert.Equal("during", remoteHeard.GetProperty("message").GetString());
        Assert.Equal(echo.GetProperty("id").GetInt64(), remoteHeard.GetProperty("id").GetInt64());
        Assert.Equal("after", remoteNext.GetProperty("message").GetString()); // "during" came to bob once
        Assert.Equal("after", (await local.ReceiveAsync()).GetProperty("message").GetString()); // and never back to carol
        Assert.Contains(recent.GetProperty("recent_data").EnumerateArray(), i => i.GetProperty("msg").GetString() == "during");
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM chat_messages WHERE message = 'during'"));
    }

    private static StorageStatus Status(SafeStreamApp app) => app.Services.GetRequiredService<IStorageStatus>().Current;
}
