using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>
/// A client that sends bad frames and never reads what it is answered: its answers are small and paid for from its rate
/// limit, and what waits for it is bounded in bytes. (The drop after SlowClientSeconds with nothing more queued is
/// proved on the connection itself, in SendQueueTests: over a real socket the kernel keeps taking small frames now and
/// then, so a test could not tell the stall check from the network.)
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
