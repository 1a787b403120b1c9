using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

// A reconnect with ?since=: live frames are held while the backlog is read from storage; then the backlog goes out, then
// the held frames it does not already hold, then live frames flow again. Only such a socket pays for this, and only
// until its backlog is queued: every other socket reads one null field per frame.
internal sealed partial class ChatConnection
{
    private CatchUp? _catchUp;

    /// <summary>From now until <see cref="SendCatchUp"/>, broadcast frames are held, not queued. Call before the hub attaches it.</summary>
    public void HoldLiveFrames() => Volatile.Write(ref _catchUp, new CatchUp());

    /// <summary>
    /// Queues <paramref name="notice"/> (if any), then <paramref name="backlog"/> oldest first, then the frames held
    /// meanwhile except the chat messages the backlog carries or the client already saw (ids at or below
    /// <paramref name="since"/>); from then on broadcasts are queued as they come. Each message goes out once.
    /// </summary>
    public void SendCatchUp(byte[]? notice, IReadOnlyList<ChatMessage> backlog, long since)
    {
        ArgumentNullException.ThrowIfNull(backlog);
        var catchUp = Volatile.Read(ref _catchUp) ?? throw new InvalidOperationException("No live frames are held.");
        lock (catchUp.Gate)
        {
            Interlocked.Add(ref _queuedBytes, -catchUp.Bytes); // queued again below, and counted there
            Interlocked.Add(ref _queued, -catchUp.Held.Count);
            Volatile.Write(ref _progress, _time.GetTimestamp()); // the client's clock starts now: it was not sent anything before
            if (notice is not null)
            {
                Queue(notice);
            }

            var sent = new HashSet<long>(backlog.Count);
            foreach (var message in backlog)
            {
                Queue(Frames.Chat(message));
                sent.Add(message.Id);
            }

            foreach (var (id, frame) in catchUp.Held)
            {
                if (id == 0 || (id > since && !sent.Contains(id)))
                {
                    Queue(frame);
                }
            }

            catchUp.Held.Clear();
            catchUp.Released = true;
            Volatile.Write(ref _catchUp, null);
        }
    }

    // Held frames count as queued ones, so a client whose backlog read is slow is dropped under the same limits; but not as
    // stalled, since nothing was offered to it yet.
    private bool Hold(CatchUp catchUp, byte[] frame, long chatId)
    {
        long bytes;
        int queued;
        lock (catchUp.Gate)
        {
            if (catchUp.Released)
            {
                return false;
            }

            catchUp.Held.Add((chatId, frame));
            catchUp.Bytes += frame.Length;
            Volatile.Write(ref _progress, _time.GetTimestamp());
            bytes = Interlocked.Add(ref _queuedBytes, frame.Length);
            queued = Interlocked.Increment(ref _queued);
        }

        if (bytes > _maxBytes || queued > 4 * _capacity)
        {
            Drop(queued, bytes);
            return false;
        }

        return true;
    }

    private sealed class CatchUp
    {
        public Lock Gate { get; } = new();

        public List<(long ChatId, byte[] Frame)> Held { get; } = [];

        public long Bytes { get; set; }

        public bool Released { get; set; }
    }
}
