using System.Net.WebSockets;
using System.Threading.Channels;
using SafeStream.Server.Telemetry;

namespace SafeStream.Server.Chat;

/// <summary>
/// One open WebSocket and its bounded send queue. Broadcasting only queues shared frame bytes (lock-free); one send
/// loop per socket writes them out. A client whose queue fills up (in frames or in bytes), or that has taken nothing
/// for <see cref="LimitsOptions.SlowClientSeconds"/> while something waits for it, is dropped, so it never holds up
/// anyone else nor the server's memory.
/// </summary>
internal sealed partial class ChatConnection
{
    private const int Open = 0;
    private const int Closing = 1;
    private const int Dropped = 2;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly int _capacity;
    private readonly long _maxBytes;
    private readonly TimeSpan _stallLimit;
    private readonly TimeProvider _time;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private WebSocket? _socket;
    private int _queued;
    private long _queuedBytes; // queued frames and the one being written: it counts until the socket took it
    private int _state;
    private long _progress;
    private long _stallSeen;

    /// <summary>A connection joins the broadcast before its handshake is answered (see <see cref="Open"/>), so a
    /// client that has its 101 already receives every message sent after that. An anonymous viewer has no session.</summary>
    public ChatConnection(UserSession? session, DateTimeOffset? issuedAt, LimitsOptions limits, TimeProvider time, ServerMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Session = session;
        IssuedAt = issuedAt;
        _capacity = limits.SendQueueFrames;
        _maxBytes = limits.SendQueueBytes;
        _stallLimit = TimeSpan.FromSeconds(limits.SlowClientSeconds);
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The user's state; null for an anonymous, read-only viewer (see <see cref="ChatOptions.AnonymousViewers"/>).</summary>
    public UserSession? Session { get; }

    public string Username => Session?.Username ?? "(anonymous)";

    /// <summary>The client address key an anonymous viewer is counted under (see <see cref="ChatHub.TryReserveAnonymous"/>).</summary>
    public string? AnonymousAddress { get; init; }

    /// <summary>The <c>iat</c> of the token the socket was opened with (null for a legacy token).</summary>
    public DateTimeOffset? IssuedAt { get; }

    public WebSocket Socket => _socket ?? throw new InvalidOperationException("The handshake has not been accepted yet.");

    /// <summary>Bytes waiting for the socket, the frame being written included: what this client holds of the server's memory.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>False once the socket is being closed or was dropped: it takes no more frames.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Queues a frame (never blocks). A client too far behind, or stalled, is dropped (see <see cref="LimitsOptions"/>).</summary>
    public bool TrySend(byte[] frame) => TrySend(frame, 0);

    /// <summary>Queues a broadcast frame; <paramref name="chatId"/> is the id of the chat message it carries (0 for anything
    /// else), so that while a reconnect's backlog is read (see <see cref="HoldLiveFrames"/>) it is held, and sent once.</summary>
    public bool TrySend(byte[] frame, long chatId)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Volatile.Read(ref _catchUp) is { } catchUp && Hold(catchUp, frame, chatId))
        {
            return true;
        }

        return Queue(frame);
    }

    private bool Queue(byte[] frame)
    {
        if (Volatile.Read(ref _state) != Open)
        {
            return false;
        }

        // An idle client is not behind: its clock starts now. Stamped before the bytes count, so whoever sees them sees it.
        if (Volatile.Read(ref _queuedBytes) == 0)
        {
            Volatile.Write(ref _progress, _time.GetTimestamp());
        }

        var bytes = Interlocked.Add(ref _queuedBytes, frame.Length);
        var queued = Interlocked.Increment(ref _queued);
        if (bytes > _maxBytes || queued > 4 * _capacity || (bytes > frame.Length && Stalled()))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length); // refused: it holds nothing
            Drop(queued, bytes);
            return false;
        }

        return _queue.Writer.TryWrite(new Outgoing(frame, default, null));
    }

    /// <summary>
    /// Drops the socket when something has waited for it and it has taken nothing for
    /// <see cref="LimitsOptions.SlowClientSeconds"/>, seen on two checks in a row (the hub runs them on a timer), so a
    /// client that stopped reading is dropped even when nothing more is sent to it. An idle client is never stalled.
    /// </summary>
    public bool DropIfStalled()
    {
        if (Volatile.Read(ref _state) != Open || Volatile.Read(ref _queuedBytes) == 0)
        {
            return false;
        }

        var progress = Volatile.Read(ref _progress);
        if (Interlocked.Exchange(ref _stallSeen, progress) != progress || !Stalled())
        {
            return false; // first seen now, or it moved since the last check
        }

        Drop(Volatile.Read(ref _queued), Volatile.Read(ref _queuedBytes));
        return true;
    }

    /// <summary>Starts the close handshake after the frame being sent; frames still queued are discarded.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref _state, Closing, Open) != Open)
        {
            return;
        }

        _queue.Writer.TryWrite(new Outgoing(null, status, reason));
        _queue.Writer.TryComplete();
        _ = AbortIfNotClosedAsync();
    }

    /// <summary>Ends the connection for good: no more frames, and the socket is aborted unless it closed cleanly.</summary>
    public void Finish()
    {
        Interlocked.Exchange(ref _state, Dropped);
        Abort();
    }

    /// <summary>Takes the accepted socket and writes queued frames to it until the connection closes.</summary>
    public async Task RunAsync(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Volatile.Write(ref _socket, socket);
        if (Volatile.Read(ref _state) == Dropped)
        {
            socket.Abort(); // dropped while the handshake was being answered
            return;
        }

        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    Interlocked.Decrement(ref _queued);
                    if (item.Frame is { } frame)
                    {
                        if (Volatile.Read(ref _state) == Open)
                        {
                            // No token: a drop aborts the socket, which ends a pending send at once.
                            await socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                            Volatile.Write(ref _progress, _time.GetTimestamp());
                            _metrics.Delivered();
                        }

                        Interlocked.Add(ref _queuedBytes, -frame.Length);
                    }
                    else if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(item.CloseStatus, item.CloseReason, CancellationToken.None);
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            if (Interlocked.Exchange(ref _state, Dropped) == Open)
            {
                LogSendFailed(_logger, Username, ex.Message);
            }

            Abort();
        }
    }

    /// <summary>Ends the send loop once what is queued (the answer to the client's close) is written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task AbortIfNotClosedAsync()
    {
        await Task.Delay(CloseTimeout, _time);
        if (Volatile.Read(ref _socket)?.State is WebSocketState.Open or WebSocketState.CloseSent or WebSocketState.CloseReceived)
        {
            Finish(); // it did not answer the close handshake
        }
    }

    private bool Stalled() => _time.GetElapsedTime(Volatile.Read(ref _progress)) > _stallLimit;

    private void Drop(int queued, long bytes)
    {
        if (Interlocked.Exchange(ref _state, Dropped) != Dropped)
        {
            _metrics.SlowClientDropped();
            LogSlowClientDropped(_logger, Username, queued, bytes);
            Abort();
        }
    }

    private void Abort()
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _socket) is { State: not (WebSocketState.Closed or WebSocketState.Aborted) } socket)
        {
            socket.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a WebSocket of {Username}: {Queued} frames ({Bytes} bytes) were waiting (a slow or dead client)")]
    private static partial void LogSlowClientDropped(ILogger logger, string username, int queued, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "A WebSocket of {Username} failed while sending: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string username, string reason);

    private readonly record struct Outgoing(byte[]? Frame, WebSocketCloseStatus CloseStatus, string? CloseReason);
}
