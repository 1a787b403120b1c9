using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>
/// A client that sends bad frames and never reads what it is answered: its answers are small and paid for from its rate
/// limit, what waits for it is bounded in bytes, and it is dropped once it has taken nothing for SlowClientSeconds.
/// </summary>
public sealed class ChatFloodTests : IAsyncDisposable
{
    private const int QueueBytes = 16 * 1024;
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task ANonReadingSocketThatStopsSendingIsDroppedAfterSlowClientSecondsWhileOthersChatOn()
    {
        var app = Start(slowSeconds: "0.5");
        var hub = app.Services.GetRequiredService<ChatHub>();
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));
        using var slow = await StalledClient.ConnectAsync(app.BaseAddress, "slow", await app.RegisterAsync("slow"));
        var connection = Assert.Single(hub.SessionOf("slow")!.Connections);

        // Until its answers back up on the server: the network's buffers in between are full.
        var sent = 0;
        long most = 0;
        while (connection.QueuedBytes < 2048 && sent < 20_000)
        {
            for (var i = 0; i < 10 && await slow.SendFrameAsync(BadFrame()); i++, sent++)
            {
            }

            most = Math.Max(most, connection.QueuedBytes);
        }

        await slow.WaitUntilDroppedAsync(); // nothing more is queued for it: only the stall check can drop it
        await bob.SendChatAsync("after the drop");
        var received = await alice.ReceiveAsync();

        Assert.True(sent < 20_000, "the answers never backed up");
        Assert.InRange(most, 2048, QueueBytes);
        Assert.False(connection.IsOpen);
        Assert.Equal("after the drop", received.GetProperty("message").GetString());
        Assert.Equal(2, hub.ConnectionCount);
        Assert.Empty(app.Errors.Lines);
    }

    [Fact]
    public async Task ANonReadingSocketThatKeepsSendingNeverHoldsMoreThanSendQueueBytes()
    {
        var app = Start(slowSeconds: "3600"); // only the byte budget can drop it
        var hub = app.Services.GetRequiredService<ChatHub>();
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        using var slow = await StalledClient.ConnectAsync(app.BaseAddress, "slow", await app.RegisterAsync("slow"));
        var connection = Assert.Single(hub.SessionOf("slow")!.Connections);

        long most = 0;
        var sent = 0;
        while (connection.IsOpen && sent < 50_000 && await slow.SendFrameAsync(BadFrame()))
        {
            sent++;
            most = Math.Max(most, connection.QueuedBytes);
        }

        await slow.WaitUntilDroppedAsync();
        await alice.SendChatAsync("still served");

        Assert.False(connection.IsOpen, "the socket was never dropped");
        Assert.InRange(most, 1, QueueBytes);
        Assert.Equal("still served", (await alice.ReceiveAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task BadFramesSpendTheSendersRateLimitLikeMessages()
    {
        var app = Start(slowSeconds: "2", new() { ["Limits:MessagesPerSecond"] = "0.001", ["Limits:MessageBurst"] = "3" });
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));

        for (var i = 0; i < 3; i++)
        {
            await alice.SendTextAsync("{\"nonsense\":1}");
        }

        await alice.SendChatAsync("a real message");
        var answers = new[] { await alice.ReceiveAsync(), await alice.ReceiveAsync(), await alice.ReceiveAsync(), await alice.ReceiveAsync() };

        Assert.Equal(
            ["Invalid message format", "Invalid message format", "Invalid message format", "Rate limit exceeded"],
            answers.Select(a => a.GetProperty("error").GetString()));
    }

    /// <summary>The size limit's worth of a field name no client would send: unassigned code points, quoted back as <c>\uXXXX</c> before.</summary>
    private static byte[] BadFrame() => Encoding.UTF8.GetBytes($"{{\"{new string('\u0378', 4000)}\":1}}");

    private SafeStreamApp Start(string slowSeconds, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? []) { ["Limits:SendQueueBytes"] = $"{QueueBytes}", ["Limits:SlowClientSeconds"] = slowSeconds };
        return _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, settings);
    }
}
