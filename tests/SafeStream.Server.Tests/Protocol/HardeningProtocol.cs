using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task ASenderOverTheRateLimitGetsAnErrorFrameAndOthersChatOn()
    {
        Start(new Dictionary<string, string?> { ["Limits:MessagesPerSecond"] = "0.001", ["Limits:MessageBurst"] = "3" });
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        for (var i = 0; i < 5; i++)
        {
            await alice.SendChatAsync($"spam {i}");
        }

        var frames = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            frames.Add(await alice.ReceiveAsync());
        }

        await bob.SendChatAsync("my turn");
        var bobsFrames = new[] { await bob.ReceiveAsync(), await bob.ReceiveAsync(), await bob.ReceiveAsync(), await bob.ReceiveAsync() };

        Assert.Equal(3, frames.Count(f => f.TryGetProperty("type", out var t) && t.GetString() == "chat"));
        var errors = frames.Where(f => f.TryGetProperty("error", out _)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("Rate limit exceeded", e.GetProperty("error").GetString()));
        Assert.Equal(["spam 0", "spam 1", "spam 2", "my turn"], bobsFrames.Select(f => f.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AStalledClientIsDroppedWithoutHoldingUpAnyoneElse()
    {
        Start(new Dictionary<string, string?> { ["Limits:SendQueueFrames"] = "256", ["Limits:SlowClientSeconds"] = "0.2" });
        var hub = App.Services.GetRequiredService<ChatHub>();
        using var stalled = await StalledClient.ConnectAsync(App.BaseAddress, "slow", await App.RegisterAsync("slow"));
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));
        var text = new string('x', 450);

        var sent = 0;
        var received = 0;
        while (hub.ConnectionCount == 3 && sent < 50_000)
        {
            for (var i = 0; i < 100; i++, sent++)
            {
                await bob.SendChatAsync(text);
            }

            for (; received < sent; received++)
            {
                await alice.ReceiveAsync(); // every message reaches alice while the stalled client backs up
            }
        }

        await stalled.WaitUntilDroppedAsync();
        await bob.SendChatAsync("after the drop");
        while ((await alice.ReceiveAsync()).GetProperty("message").GetString() != "after the drop")
        {
        }

        Assert.Equal(2, hub.ConnectionCount);
        Assert.Equal(2, hub.ViewerCount);
        Assert.True(sent < 50_000, "the stalled client was never dropped");
    }

    [Fact]
    public async Task AMuteSurvivesARestartAndEndsWhenItsTimeIsUpWhileIdleSocketsStayConnected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Start(time: time);
        var root = await App.RegisterAdminAsync();
        var bobToken = await App.RegisterAsync("bob");
        await App.PostAsync("/api/admin/mute", root, new { username = "bob", minutes = 1 });

        await RestartAsync(time: time);
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", bobToken);
        await bob.SendChatAsync("still muted?");
        var muted = await bob.ReceiveAsync();
        time.Advance(TimeSpan.FromMinutes(10)); // past the mute, and past the legacy 5-minute sweep
        await bob.SendChatAsync("free again");
        var delivered = await alice.ReceiveAsync();

        Assert.Equal("muted", muted.GetProperty("type").GetString());
        Assert.Equal("free again", delivered.GetProperty("message").GetString());
    }
}
