using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Storage.Cluster;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>Chat between instances on one PostgreSQL: every frame reaches every socket once, in each sender's order.</summary>
public sealed class FanOutTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AViewerOnEachOfThreeInstancesReceivesEveryMessageOnceInEachSendersOrder()
    {
        const int PerSender = 40;
        await using var cluster = Instances.Start(database, 3);
        var viewers = new List<ChatClient>();
        var senders = new List<ChatClient>();
        for (var i = 0; i < 3; i++)
        {
            viewers.Add(await cluster[i].ConnectAsync($"viewer{i}", await cluster[i].RegisterAsync($"viewer{i}")));
            senders.Add(await cluster[i].ConnectAsync($"sender{i}", await cluster[i].RegisterAsync($"sender{i}")));
        }

        var receiving = viewers.Select(v => Instances.ChatFramesAsync(v, 3 * PerSender)).ToList();
        await Task.WhenAll(senders.Select((s, k) => SendAsync(s, k, PerSender)));
        var received = await Task.WhenAll(receiving);
        var echoed = await Task.WhenAll(senders.Select(s => Instances.ChatFramesAsync(s, 3 * PerSender)));

        var stored = await database.ScalarAsync("SELECT count(*) FROM chat_messages");
        var instances = Enumerable.Range(0, 3).Select(i => cluster[i].Services.GetRequiredService<IClusterBus>().Instance);
        Assert.Equal(3, instances.Distinct().Count());
        Assert.Equal(3 * PerSender, stored);
        foreach (var frames in received.Concat(echoed))
        {
            var chat = frames.Where(f => f.GetProperty("type").GetString() == "chat").ToList();
            Assert.Equal(3 * PerSender, chat.Select(f => f.GetProperty("id").GetInt64()).Distinct().Count()); // each once
            for (var k = 0; k < 3; k++)
            {
                var order = chat.Where(f => f.GetProperty("user").GetString() == $"sender{k}").Select(f => f.GetProperty("message").GetString()).ToList();
                Assert.Equal(Enumerable.Range(0, PerSender).Select(i => $"from {k}: {i}"), order);
            }
        }

        foreach (var client in viewers.Concat(senders))
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ABlockedMessageReachesItsSenderOnlyAndAGiftReachesEveryInstance()
    {
        await using var cluster = Instances.Start(database, 2);
        var token = await cluster[0].RegisterAsync("alice");
        await using var alice = await cluster[0].ConnectAsync("alice", token);
        await using var bob = await cluster[1].ConnectAsync("bob", await cluster[1].RegisterAsync("bob"));

        await alice.SendChatAsync($"you {MarkerScorer.Marker}");
        var blocked = await alice.ReceiveAsync();
        await cluster[0].GiftAsync("alice", token, 3, 7);
        await alice.SendChatAsync("clean");
        var bobsFirst = await bob.ReceiveAsync();
        var bobsSecond = await bob.ReceiveAsync();

        Assert.True(blocked.GetProperty("blocked").GetBoolean());
        Assert.Equal(("gift", 7), (bobsFirst.GetProperty("type").GetString(), bobsFirst.GetProperty("amount").GetInt32()));
        Assert.Equal("clean", bobsSecond.GetProperty("message").GetString()); // the blocked one never came
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM chat_messages WHERE blocked"));
    }

    [Fact]
    public async Task AnInstanceWhoseListeningConnectionIsTerminatedMidStreamMissesNothing()
    {
        const int Count = 200;
        await using var cluster = Instances.Start(database, 2);
        await using var alice = await cluster[0].ConnectAsync("alice", await cluster[0].RegisterAsync("alice"));
        await using var bob = await cluster[1].ConnectAsync("bob", await cluster[1].RegisterAsync("bob"));
        var bus = cluster[1].Services.GetRequiredService<IClusterBus>();

        var receiving = Instances.ChatFramesAsync(bob, Count);
        for (var i = 0; i < Count; i++)
        {
            await alice.SendChatAsync($"m {i}");
            if (i == Count / 2)
            {
                Assert.Equal(1, await database.ScalarAsync(
                    $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{PostgresClusterBus.ListenerName(bus.Instance)}'"));
            }
        }

        var received = await receiving;

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m {i}"), received.Select(f => f.GetProperty("message").GetString()));
        Assert.True(bus.Status.Reconnects >= 1, $"the listener never noticed: {bus.Status}");
        Assert.Equal("listening", bus.Status.State);
    }

    private static async Task SendAsync(ChatClient sender, int k, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await sender.SendChatAsync($"from {k}: {i}");
        }
    }
}
