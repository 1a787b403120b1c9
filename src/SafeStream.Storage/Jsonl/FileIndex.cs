using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// What the files can answer without a database: the latest events (bounded windows) and totals since an instant.
/// Built by one pass over its source, then kept current by <see cref="Add"/>. Asking for totals since another
/// instant rescans, unless every known event is older (the usual case right after a metrics reset).
/// </summary>
internal sealed class FileIndex(Func<IEnumerable<StorageEvent>> source, int window = 10_000)
{
    private readonly Lock _lock = new();
    private readonly Recent<ChatMessage> _messages = new(window);
    private readonly Recent<Gift> _gifts = new(window / 5);
    private readonly Recent<AdminAction> _actions = new(window / 5);
    private Totals _totals = new(DateTimeOffset.MinValue);
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private bool _built;

    public void Add(IEnumerable<StorageEvent> events)
    {
        lock (_lock)
        {
            if (!_built)
            {
                return; // the build pass will read them from the files
            }

            foreach (var e in events)
            {
                AddLocked(e);
            }
        }
    }

    public IReadOnlyList<ChatMessage> Messages(MessageQuery query)
    {
        lock (_lock)
        {
            EnsureBuilt();
            return query.AfterId is null ? _messages.Newest(query.Limit, query.Matches) : _messages.HighestIds(query.Limit, query.Matches);
        }
    }

    public IReadOnlyList<Gift> Gifts(int limit)
    {
        lock (_lock)
        {
            EnsureBuilt();
            return _gifts.Newest(limit, static _ => true);
        }
    }

    public IReadOnlyList<AdminAction> Actions(int limit)
    {
        lock (_lock)
        {
            EnsureBuilt();
            return _actions.Newest(limit, static _ => true);
        }
    }

    public StorageCounts Count(DateTimeOffset? since, int top)
    {
        var from = since ?? DateTimeOffset.MinValue;
        lock (_lock)
        {
            EnsureBuilt();
            if (from != _totals.Since)
            {
                if (from > _newest)
                {
                    _totals = new Totals(from);
                }
                else
                {
                    _totals = new Totals(from);
                    foreach (var e in source())
                    {
                        _totals.Add(e);
                    }
                }
            }

            return _totals.ToCounts(top);
        }
    }

    private void EnsureBuilt()
    {
        if (_built)
        {
            return;
        }

        foreach (var e in source())
        {
            AddLocked(e);
        }

        _built = true;
    }

    private void AddLocked(StorageEvent e)
    {
        switch (e)
        {
            case ChatMessage m: _messages.Add(m); break;
            case Gift g: _gifts.Add(g); break;
            case AdminAction a: _actions.Add(a); break;
        }

        _totals.Add(e);
        if (e.Ts > _newest)
        {
            _newest = e.Ts;
        }
    }

    private sealed class Totals(DateTimeOffset since)
    {
        private readonly Dictionary<string, (long Amount, long Count)> _gifters = new(StringComparer.Ordinal);
        private long _messages;
        private long _toxic;
        private long _gifts;
        private long _amount;

        public DateTimeOffset Since => since;

        public void Add(StorageEvent e)
        {
            if (e.Ts < since)
            {
                return;
            }

            switch (e)
            {
                case ChatMessage m:
                    _messages++;
                    _toxic += m.Toxic ? 1 : 0;
                    break;
                case Gift g:
                    _gifts++;
                    _amount += g.Amount;
                    var (amount, count) = _gifters.GetValueOrDefault(g.From);
                    _gifters[g.From] = (amount + g.Amount, count + 1);
                    break;
            }
        }

        public StorageCounts ToCounts(int top) => new(
            _messages,
            _toxic,
            _gifts,
            _amount,
            [.. _gifters
                .OrderByDescending(p => p.Value.Amount)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(p => new GifterTotal(p.Key, p.Value.Amount, p.Value.Count))]);
    }

    /// <summary>The latest <c>capacity</c> events of one kind, answered newest first (by ts, then id).</summary>
    private sealed class Recent<T>(int capacity)
        where T : StorageEvent
    {
        private readonly Queue<T> _items = new(capacity);

        public void Add(T item)
        {
            if (_items.Count == capacity)
            {
                _items.Dequeue();
            }

            _items.Enqueue(item);
        }

        public IReadOnlyList<T> Newest(int limit, Func<T, bool> filter) =>
            [.. _items.Where(filter).OrderByDescending(e => e.Ts).ThenByDescending(e => e.Id).Take(limit)];

        public IReadOnlyList<T> HighestIds(int limit, Func<T, bool> filter) => [.. _items.Where(filter).OrderByDescending(e => e.Id).Take(limit)];
    }
}
