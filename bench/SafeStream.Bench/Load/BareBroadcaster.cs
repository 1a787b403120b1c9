using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SafeStream.Bench.Load;

/// <summary>
/// The reference of the load benchmark: Kestrel and WebSockets with no auth, storage or moderation, so the ratio to it
/// is what SafeStream itself costs on the same machine in the same run.
/// Each text frame received is parsed, minted into a chat frame with an id and ts like the real server's, serialised
/// once, and queued to every connected socket; one send loop per socket drains a bounded queue.
/// </summary>
internal static class BareBroadcaster
{
    private const int QueueFrames = 1024;

    public static async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        app.UseWebSockets();
        var sockets = new ConcurrentDictionary<Channel<byte[]>, WebSocket>();
        long lastId = 0;
        app.MapGet("/healthz", () => "healthy");
        app.Map("/ws/{username}", async (HttpContext context, string username) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueFrames) { SingleReader = true });
            sockets[queue] = socket;
            var sending = SendAllAsync(socket, queue.Reader, cancellationToken);
            var buffer = new byte[8192];
            while (socket.State == WebSocketState.Open)
            {
                var count = await ReceiveMessageAsync(socket, buffer, cancellationToken);
                if (count < 0)
                {
                    break;
                }

                var chat = JsonSerializer.Deserialize(buffer.AsSpan(0, count), LoadJsonContext.Default.ChatIn);
                var frame = new ChatOut("chat", Interlocked.Increment(ref lastId), username, chat?.Message ?? "", false, 0, DateTime.UtcNow, false);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, LoadJsonContext.Default.ChatOut);
                foreach (var (other, otherSocket) in sockets)
                {
                    if (!other.Writer.TryWrite(bytes))
                    {
                        otherSocket.Abort(); // a slow client is dropped, never waited for
                    }
                }
            }

            sockets.TryRemove(queue, out _);
            queue.Writer.TryComplete();
            await sending;
        });
        await app.RunAsync(cancellationToken);
    }

    private static async Task SendAllAsync(WebSocket socket, ChannelReader<byte[]> frames, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in frames.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; -1 when the socket closes or fails.</summary>
    private static async Task<int> ReceiveMessageAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close || (count += result.Count) == buffer.Length)
                {
                    return -1;
                }

                if (result.EndOfMessage)
                {
                    return count;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return -1;
        }
    }
}
