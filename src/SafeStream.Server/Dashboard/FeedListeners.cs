namespace SafeStream.Server.Dashboard;

/// <summary>
/// The open dashboard feeds, up to a limit. The poll loop and the account watch read an immutable array without a
/// lock; opening and leaving, which are rare, swap it under one.
/// </summary>
internal sealed class FeedListeners(int limit)
{
    private readonly Lock _lock = new();
    private FeedListener[] _all = [];

    public FeedListener[] All => Volatile.Read(ref _all);

    /// <summary>Adds <paramref name="listener"/>; false when <c>limit</c> feeds are open already.</summary>
    public bool TryAdd(FeedListener listener)
    {
        lock (_lock)
        {
            if (_all.Length >= limit)
            {
                return false;
            }

            _all = [.. _all, listener];
            return true;
        }
    }

    /// <summary>Ends <paramref name="listener"/>'s stream and forgets it.</summary>
    public void Remove(FeedListener listener)
    {
        listener.Complete();
        lock (_lock)
        {
            _all = [.. _all.Where(l => l != listener)];
        }
    }

    /// <summary>Ends every stream (at shutdown), so open feeds do not hold it up.</summary>
    public void CompleteAll()
    {
        foreach (var listener in All)
        {
            listener.Complete();
        }
    }
}
