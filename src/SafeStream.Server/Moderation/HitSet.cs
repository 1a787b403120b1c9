namespace SafeStream.Server.Moderation;

internal readonly record struct Hit(int EntryId, double Weight);

/// <summary>The hits of one message, one per lexicon entry (its strongest occurrence), on the caller's stack.</summary>
internal ref struct HitSet(Span<Hit> slots)
{
    private readonly Span<Hit> _slots = slots;
    private int _count;

    public void Add(int entryId, double weight)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_slots[i].EntryId == entryId)
            {
                _slots[i] = _slots[i] with { Weight = Math.Max(_slots[i].Weight, weight) };
                return;
            }
        }

        // Past the last slot the score is at 1 already; further hits cannot change it.
        if (_count < _slots.Length)
        {
            _slots[_count++] = new Hit(entryId, weight);
        }
    }

    /// <summary>Hits as independent evidence (noisy-OR), rounded so equal texts print equal scores.</summary>
    public readonly double Combined()
    {
        var clean = 1.0;
        for (var i = 0; i < _count; i++)
        {
            clean *= 1 - _slots[i].Weight;
        }

        return Math.Round(Math.Clamp(1 - clean, 0, 1), 4);
    }
}
