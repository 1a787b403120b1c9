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

    /// <summary>The writes, and which kind each answers for.</summary>
    public (IReadOnlyList<WriteOp> Ops, EventKind[] Kinds, int[] Sizes) ToOps()
    {
        var ops = new List<WriteOp>(3);
        var kinds = new List<EventKind>(3);
        var sizes = new List<int>(3);
        for (var i = 0; i < _parts.Length; i++)
        {
            if (_parts[i].Events.Count > 0)
            {
                ops.Add(new AppendEvents(_parts[i].Events, _parts[i].Keys));
                kinds.Add((EventKind)i);
                sizes.Add(_parts[i].Events.Count);
            }
        }

        return (ops, [.. kinds], [.. sizes]);
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
