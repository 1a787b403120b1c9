using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using SafeStream.Server.Moderation;
using SafeStream.Server.Telemetry;
using SafeStream.Server.Threshold;

namespace SafeStream.Server.Chat;

/// <summary>
/// Reads one socket's frames: validates, enforces mute and rate limit, scores, and hands the message to the
/// pipeline. A bad frame is answered with an error frame and the socket stays open. An anonymous viewer's frames are
/// read only to be thrown away, each answered with the same error frame: nothing it sends is stored.
/// </summary>
internal sealed class ChatReceiver(
    ChatPipeline pipeline, IToxicityScorer scorer, ThresholdState threshold, IOptions<LimitsOptions> options, ServerMetrics metrics, TimeProvider time)
{
    private const int DiscardBytes = 4096;
    private readonly LimitsOptions _limits = options.Value;
    private readonly byte[] _rateLimited = Frames.Error(
        "Rate limit exceeded", $"at most {options.Value.MessagesPerSecond} messages per second (bursts of {options.Value.MessageBurst})");

    private readonly byte[] _readOnly = Frames.Error(
        Frames.ReadOnly, "an anonymous viewer cannot send; sign in and connect to /ws/{username}?token=... to chat");

    public async Task RunAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = connection.Session;
        var limit = session is null ? 0 : _limits.MaxFrameBytes; // an anonymous viewer's frames are all discarded
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(limit, DiscardBytes));
        try
        {
            while (true)
            {
                var (type, length, oversize) = await ReceiveAsync(connection.Socket, buffer, limit, cancellationToken);
                if (type == WebSocketMessageType.Close)
                {
                    connection.Close(WebSocketCloseStatus.NormalClosure, "");
                    return;
                }

                if (!connection.IsOpen)
                {
                    continue;
                }

                if (session is null)
                {
                    connection.TrySend(_readOnly);
                }
                else
                {
                    await HandleAsync(connection, session, type, buffer.AsMemory(0, length), oversize, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away, or was dropped.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask HandleAsync(
        ChatConnection connection, UserSession session, WebSocketMessageType type, ReadOnlyMemory<byte> frame, bool oversize, CancellationToken cancellationToken)
    {
        // Every frame spends from its sender's bucket, bad ones too: each is answered, and answers cost the server memory
        // until a client that may never read takes them.
        if (!session.Bucket.TryTake())
        {
            metrics.RateLimited("chat");
            connection.TrySend(_rateLimited);
            return;
        }

        string? error = null;
        var text = type != WebSocketMessageType.Text ? null
            : oversize ? null
            : InboundFrame.Parse(frame.Span, _limits.MaxMessageChars, out error);
        if (text is null)
        {
            error ??= type != WebSocketMessageType.Text
                ? "binary frames are not accepted; send a JSON text frame"
                : $"the frame is larger than {_limits.MaxFrameBytes} bytes";
            connection.TrySend(Frames.Invalid(error));
            return;
        }

        if (session.MutedUntil is { } until && until > time.GetUtcNow())
        {
            connection.TrySend(Frames.Muted(until));
            return;
        }

        var score = Score(text);
        await pipeline.SubmitAsync(connection, text, score, score >= threshold.Current, cancellationToken);
    }

    /// <summary>A score in [0, 1]; a scorer that fails or answers nonsense blocks the message rather than let it through.</summary>
    private double Score(string text)
    {
        try
        {
            var score = scorer.Score(text);
            return double.IsNaN(score) ? 1 : Math.Clamp(score, 0, 1);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return 1;
        }
    }

    /// <summary>Reads one whole message; bytes past the limit are read and thrown away so the socket stays usable.</summary>
    private static async ValueTask<(WebSocketMessageType Type, int Length, bool Oversize)> ReceiveAsync(WebSocket socket, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var count = 0;
        var oversize = false;
        while (true)
        {
            var target = count < limit ? buffer.AsMemory(count, limit - count) : buffer.AsMemory(0, DiscardBytes);
            var result = await socket.ReceiveAsync(target, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0, false);
            }

            if (count < limit)
            {
                count += result.Count;
            }
            else
            {
                oversize |= result.Count > 0;
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, count, oversize);
            }
        }
    }
}
