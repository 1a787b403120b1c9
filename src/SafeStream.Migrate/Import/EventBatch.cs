using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Import;

/// <summary>Events to insert in one transaction, one insert per kind so the database answers per kind.</summary>
internal sealed class EventBatch(int capacity)
{
    private readonly Part[] _parts = [new(capacity), new(capacity / 8), new(capacity / 8)];

    public int Count { get; private set; }

    public void Add(StorageEvent e, byte[]? sourceKey)
    {
        var part = _parts[(int)KindOf(e)];
        part.Events.Add(e);
        part.Keys.Add(sourceKey);
        Count++;
    }

    /// <summary>One insert per kind that has events, with the kind it answers for.</summary>
    public IReadOnlyList<(EventKind Kind, AppendEvents Op)> ToOps()
    {
        var ops = new List<(EventKind, AppendEvents)>(3);
        for (var i = 0; i < _parts.Length; i++)
        {
            if (_parts[i].Events.Count > 0)
            {
                ops.Add(((EventKind)i, new AppendEvents(_parts[i].Events, _parts[i].Keys)));
            }
        }

        return ops;
    }

    public static EventKind KindOf(StorageEvent e) => e switch
    {
        ChatMessage => EventKind.Chat,
        Gift => EventKind.Gift,
        AdminAction => EventKind.AdminAction,
        _ => throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(e)),
    };

    private sealed class Part(int capacity)
    {
        public List<StorageEvent> Events { get; } = new(capacity);

        public List<byte[]?> Keys { get; } = new(capacity);
    }
}
