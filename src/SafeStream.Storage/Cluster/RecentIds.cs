namespace SafeStream.Storage.Cluster;

/// <summary>
/// The event ids the fan-out delivered lately, so that none is delivered twice: a batch whose slow commit was
/// announced when it landed can be announced again by its journal replay (see <c>SpillJournal.NewsFor</c>). Ids are
/// kept for <paramref name="keep"/>, longer than a replay can be news; memory is bounded by the rate times that.
/// </summary>
internal sealed class RecentIds(TimeSpan keep, TimeProvider time)
{
    private readonly HashSet<long> _ids = [];
    private readonly Queue<(long Id, long At)> _order = new();

    public int Count => _ids.Count;

    /// <summary>True the first time <paramref name="id"/> is seen within the window, false for a repeat.</summary>
    public bool Add(long id)
    {
        var now = time.GetTimestamp();
        while (_order.TryPeek(out var oldest) && time.GetElapsedTime(oldest.At, now) > keep)
        {
            _ids.Remove(_order.Dequeue().Id);
        }

        if (!_ids.Add(id))
        {
            return false;
        }

        _order.Enqueue((id, now));
        return true;
    }
}
