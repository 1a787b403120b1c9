using System.Text;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Properties;

/// <summary>
/// Hostile frames from a client that never reads, a few thousand cases on one server: no error-level log line, what
/// waits for the client stays within its byte budget, and another client keeps chatting after every case.
/// </summary>
public sealed class WebSocketFrameProperties : IAsyncDisposable
{
    private const int QueueBytes = 16 * 1024;
    private const int Slack = 8 * 1024; // one frame queued by another thread while the budget is checked

    private static readonly Gen<string> Message = Gen.Frequency(
        (4, Gen.String[Gen.Char["abc xyz!?"], 1, 20].Select(HostileJson.Quote)),
        (2, HostileJson.Text.Select(HostileJson.Quote)));

    private static readonly Gen<byte[]> Json = HostileJson.Body(
        ("type", Gen.OneOf(Gen.Const("\"chat\""), Gen.Const("\"gift\""), Gen.Const("\"Chat\""))), ("message", Message));

    /// <summary>The first byte (FIN, RSV and opcode) and the payload of a client frame.</summary>
    private static readonly Gen<(byte Head, byte[] Payload)> Frame = Gen.Frequency(
        (12, Json.Select(p => ((byte)0x81, p))),
        (3, Gen.Select(Gen.OneOf(Gen.Const((byte)0x81), Gen.Const((byte)0x82)), HostileJson.Garbage)),
        (2, Json.Select(p => ((byte)0x82, p))),
        (1, Gen.Int[9_000, 40_000].Select(n => ((byte)0x81, Encoding.UTF8.GetBytes($"{{\"message\":\"{new string('x', n)}\"}}")))),
        (1, Gen.Select(Gen.OneOf(Gen.Const((byte)0x80), Gen.Const((byte)0x01), Gen.Const((byte)0x83), Gen.Const((byte)0xC1), Gen.Const((byte)0x89), Gen.Const((byte)0x8A), Gen.Const((byte)0x88)), Gen.Byte.Array[0, 200])));

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
    public async Task NoFrameFromANonReadingClientLogsAnErrorOutgrowsItsBudgetOrStopsOthersChatting()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?>
        {
            ["Limits:SendQueueBytes"] = $"{QueueBytes}",
            ["Limits:SlowClientSeconds"] = "0.5",
            ["Limits:MaxConnections"] = "100000",
            ["Limits:MaxConnectionsPerUser"] = "100000", // dropped sockets of the hostile client linger a moment
        });
        var hub = app.Services.GetRequiredService<ChatHub>();
        var hostileToken = await app.RegisterAsync("hostile");
        await using var probe = await app.ConnectAsync("probe", await app.RegisterAsync("probe"));
        var hostile = await StalledClient.ConnectAsync(app.BaseAddress, "hostile", hostileToken);
        var cases = 0;
        var reconnects = 0;

        try
        {
            await Frame.Array[1, 3].SampleAsync(
                async frames =>
                {
                    if (hub.SessionOf("hostile")?.Connections.Any(c => c.IsOpen) != true)
                    {
                        reconnects++;
                        hostile.Dispose(); // dropped, or closed by a frame it sent: a new one takes its place
                        hostile = await StalledClient.ConnectAsync(app.BaseAddress, "hostile", hostileToken);
                    }

                    foreach (var (head, payload) in frames)
                    {
                        await hostile.SendFrameAsync(payload, head);
                    }

                    if (++cases % 10 == 0)
                    {
                        await ChatOnAsync(probe, cases);
                    }

                    Assert.All(hub.SessionOf("hostile")?.Connections ?? [], c => Assert.InRange(c.QueuedBytes, 0, QueueBytes + Slack));
                    Assert.Empty(app.Errors.Lines);
                },
                iter: 2000,
                threads: 1);
        }
        finally
        {
            hostile.Dispose();
        }

        await ChatOnAsync(probe, 0);
        Assert.True(reconnects > 0, "the hostile client was never dropped or closed: the cases missed what they are for");
    }

    /// <summary>Another client still chats: its message comes back, past whatever the hostile client's valid frames broadcast.</summary>
    private static async Task ChatOnAsync(ChatClient probe, int n)
    {
        var ping = $"probe {n}";
        await probe.SendChatAsync(ping);
        while ((await probe.ReceiveAsync()) is var frame
            && !(frame.TryGetProperty("user", out var user) && user.GetString() == "probe" && frame.GetProperty("message").GetString() == ping))
        {
        }
    }
}
