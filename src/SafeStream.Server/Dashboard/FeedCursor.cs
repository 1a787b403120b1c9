using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>
/// Which stored events the live feed has already seen. Each poll reads the newest windows of messages, gifts and
/// moderator actions; an event is new when its id was not in the previous window and it is not older than the newest
/// seen minus <paramref name="overlap"/> (writes from other batches or instances may commit slightly out of order).
/// The first poll only sets the baseline.
/// </summary>
internal sealed class FeedCursor(TimeSpan overlap)
{
    public const int MessageWindow = 200;
    public const int GiftWindow = 50;
    public const int ActionWindow = 20;

    private readonly Seen _messages = new();
    private readonly Seen _gifts = new();
    private readonly Seen _actions = new();

    public bool HasBaseline { get; private set; }

    public void Reset()
    {
        HasBaseline = false;
        _messages.Clear();
        _gifts.Clear();
        _actions.Clear();
    }

    /// <summary>Events stored since the previous poll, oldest first; none on the first poll.</summary>
    public async Task<IReadOnlyList<StorageEvent>> PollAsync(IStorage storage, CancellationToken cancellationToken)
    {
        var since = _messages.Newest - overlap;
        var messages = await storage.RecentMessagesAsync(new MessageQuery { Limit = MessageWindow, Since = since }, cancellationToken);
        var gifts = await storage.RecentGiftsAsync(GiftWindow, cancellationToken);
        var actions = await storage.RecentAdminActionsAsync(ActionWindow, cancellationToken);

        var fresh = new List<StorageEvent>();
        fresh.AddRange(_messages.Advance(messages, overlap));
        fresh.AddRange(_gifts.Advance(gifts, overlap));
        fresh.AddRange(_actions.Advance(actions, overlap));
        if (!HasBaseline)
        {
            HasBaseline = true;
            return [];
        }

        fresh.Sort(static (a, b) => a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : a.Id.CompareTo(b.Id));
        return fresh;
    }

    private sealed class Seen
    {
        private HashSet<long> _ids = [];

        public DateTimeOffset? Newest { get; private set; }

        public void Clear()
        {
            _ids = [];
            Newest = null;
        }

        public List<StorageEvent> Advance<T>(IReadOnlyList<T> window, TimeSpan overlap)
            where T : StorageEvent
        {
            var floor = Newest - overlap;
            var fresh = new List<StorageEvent>();
            foreach (var e in window)
            {
                // Id 0: a legacy line read from the files, which never arrives live.
                if (e.Id > 0 && !_ids.Contains(e.Id) && (floor is null || e.Ts >= floor))
                {
                    fresh.Add(e);
                }
            }

            _ids = [.. window.Select(e => e.Id)];
            foreach (var e in window)
            {
                if (Newest is null || e.Ts > Newest)
                {
                    Newest = e.Ts;
                }
            }

            return fresh;
        }
    }
}
