using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace SafeStream.Bench.Load;

/// <summary>When a client's counters count: only frames received while the measurement window is open.</summary>
internal sealed class LoadPhase
{
    private int _measuring;

    public bool Measuring => Volatile.Read(ref _measuring) == 1;

    public void Open() => Volatile.Write(ref _measuring, 1);

    public void Close() => Volatile.Write(ref _measuring, 0);
}

/// <summary>
/// One WebSocket chat client of the load generator. It receives every broadcast; a sender also sends chat at a set
/// rate, each message carrying its sender number and its scheduled send time, so any receiver can measure
/// send-to-delivery latency and a sender can count its own echoes (messages the server accepted).
/// </summary>
internal sealed class LoadClient(ClientWebSocket socket, int senderNumber, LoadPhase phase) : IDisposable
{
    // Lower-case ASCII words only: the same bytes in every server's JSON, whatever its escaping.
    private const string Filler = "gg that was a great play chat is on fire tonight";
    private static readonly byte[] Marker = "ldgen "u8.ToArray();
    private static readonly byte[] FramePrefix = Encoding.UTF8.GetBytes("{\"type\":\"chat\",\"message\":\"ldgen ");
    private static readonly byte[] FrameSuffix = Encoding.UTF8.GetBytes($" {Filler}\"}}");
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private volatile bool _closing;

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Chat frames received in the window, from anyone.</summary>
    public long Delivered { get; private set; }

    /// <summary>This sender's own messages that came back in the window: accepted by the server.</summary>
    public long Echoed { get; private set; }

    /// <summary>Messages sent in the window.</summary>
    public long Sent { get; private set; }

    /// <summary>Error frames (rate limit, storage errors, invalid format) at any time.</summary>
    public long Errors { get; private set; }

    /// <summary>When set (before the run starts), what this client received over the whole run, per sender.</summary>
    public DeliveryLedger? Ledger { get; set; }

    /// <summary>Whether the server closed or dropped the socket before the run ended (a slow client is dropped).</summary>
    public bool Dropped { get; private set; }

    public static async Task<LoadClient> ConnectAsync(Uri uri, int senderNumber, LoadPhase phase, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetBuffer(receiveBufferSize: 64 * 1024, sendBufferSize: 4 * 1024);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return new LoadClient(socket, senderNumber, phase);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Dropped = !_closing;
                    return;
                }

                count += result.Count;
                if (result.EndOfMessage)
                {
                    Count(buffer.AsSpan(0, count));
                    count = 0;
                }
                else if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            Dropped = !_closing && !cancellationToken.IsCancellationRequested;
        }
    }

    /// <summary>
    /// Sends at <paramref name="rate"/> messages/s from <paramref name="start"/> (Stopwatch ticks) until cancelled,
    /// ramping up from a tenth of the rate over <paramref name="rampUp"/> so that JIT warm-up and connection set-up
    /// do not meet the full load at once.
    /// </summary>
    public async Task SendAsync(double rate, long start, TimeSpan rampUp, CancellationToken cancellationToken)
    {
        var rampTicks = Math.Max(1, rampUp.TotalSeconds * Stopwatch.Frequency);
        var next = (double)start;
        var frame = new byte[256];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Catch up on everything due: when the server pushes back, the schedule does not slip, so the
                // latency measured from the scheduled time includes the wait (no coordinated omission).
                while (next <= Stopwatch.GetTimestamp())
                {
                    var length = Format(frame, (long)next);
                    await socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    Sent += phase.Measuring ? 1 : 0;
                    Ledger?.CountSent();
                    next += Stopwatch.Frequency / (rate * Math.Min(1, 0.1 + (0.9 * (next - start) / rampTicks)));
                }

                await Task.Delay(1, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the run is over, or the server closed the socket (its receive loop notes that)
        }
    }

    public async Task CloseAsync()
    {
        _closing = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "load run over", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            socket.Abort();
        }
    }

    public void Dispose() => socket.Dispose();

    private int Format(byte[] frame, long scheduled)
    {
        FramePrefix.CopyTo(frame, 0);
        var at = FramePrefix.Length;
        Utf8Formatter.TryFormat(senderNumber, frame.AsSpan(at), out var written);
        at += written;
        frame[at++] = (byte)' ';
        Utf8Formatter.TryFormat(scheduled, frame.AsSpan(at), out written);
        at += written;
        FrameSuffix.CopyTo(frame, at);
        return at + FrameSuffix.Length;
    }

    private void Count(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf(Marker);
        if (at < 0)
        {
            Errors += frame.IndexOf("\"error\""u8) >= 0 ? 1 : 0;
            return;
        }

        var rest = frame[(at + Marker.Length)..];
        if (!Utf8Parser.TryParse(rest, out int sender, out var consumed)
            || !Utf8Parser.TryParse(rest[(consumed + 1)..], out long scheduled, out _))
        {
            return;
        }

        var measuring = phase.Measuring;
        var microseconds = (long)((Stopwatch.GetTimestamp() - scheduled) * MicrosecondsPerTick);
        if (Ledger is { } ledger)
        {
            if (frame.IndexOf("\"blocked\":true"u8) >= 0)
            {
                ledger.CountBlocked();
                return;
            }

            ledger.Record(sender, scheduled, microseconds, measuring);
        }

        if (!measuring)
        {
            return;
        }

        Delivered++;
        Echoed += sender == senderNumber ? 1 : 0;
        Latency.Record(microseconds);
    }
}
