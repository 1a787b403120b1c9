using System.Net.WebSockets;
using System.Threading.Channels;

namespace SafeStream.Server.Chat;

/// <summary>
/// One open WebSocket and its bounded send queue. Broadcasting only queues shared frame bytes (lock-free); one send
/// loop per socket writes them out. A client whose queue fills up is dropped, so it never holds up anyone else.
/// </summary>
public sealed partial class ChatConnection
{
    private const int Open = 0;
    private const int Closing = 1;
    private const int Dropped = 2;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private int _queued;
    private int _state;

    public ChatConnection(WebSocket socket, UserSession session, DateTimeOffset? issuedAt, int capacity, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        Session = session;
        IssuedAt = issuedAt;
        _capacity = capacity;
        _time = time;
        _logger = logger;
    }

    public UserSession Session { get; }

    public string Username => Session.Username;

    /// <summary>The <c>iat</c> of the token the socket was opened with (null for a legacy token).</summary>
    public DateTimeOffset? IssuedAt { get; }

    public WebSocket Socket => _socket;

    /// <summary>False once the socket is being closed or was dropped: it takes no more frames.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Queues a frame (never blocks). A client that has <c>Limits:SendQueueFrames</c> frames waiting is dropped.</summary>
    public bool TrySend(byte[] frame)
    {
        if (Volatile.Read(ref _state) != Open)
        {
            return false;
        }

        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Drop("its send queue is full (a slow or dead client)");
            return false;
        }

        return _queue.Writer.TryWrite(new Outgoing(frame, default, null));
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

    /// <summary>Ends the connection without a handshake (the client is too slow or gone).</summary>
    public void Drop(string reason)
    {
        if (Interlocked.Exchange(ref _state, Dropped) == Dropped)
        {
            return;
        }

        LogDropped(_logger, Username, reason);
        _queue.Writer.TryComplete();
        _socket.Abort();
    }

    /// <summary>Writes queued frames until the connection closes; run once per connection.</summary>
    public async Task RunSendLoopAsync()
    {
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
                            await _socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                        }
                    }
                    else if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(item.CloseStatus, item.CloseReason, CancellationToken.None);
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Drop($"a send failed ({ex.Message})");
        }
    }

    /// <summary>Ends the send loop after the receive side finished (the socket is gone or closed).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task AbortIfNotClosedAsync()
    {
        await Task.Delay(CloseTimeout, _time);
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseSent or WebSocketState.CloseReceived)
        {
            Drop("it did not answer the close handshake");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a WebSocket of {Username}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string username, string reason);

    private readonly record struct Outgoing(byte[]? Frame, WebSocketCloseStatus CloseStatus, string? CloseReason);
}
