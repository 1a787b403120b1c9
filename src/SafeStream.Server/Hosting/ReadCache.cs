namespace SafeStream.Server.Hosting;

/// <summary>
/// One storage read shared by every caller for a short while, for what anonymous clients poll (<c>/metrics</c> every
/// 5 s from every chat page): a thousand clients must not mean a thousand reads. A read in flight is shared too. A
/// failed read is not kept, so the next caller retries.
/// </summary>
internal sealed class ReadCache<T>(Func<Task<T>> load, TimeSpan ttl, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<T>? _current;
    private long _startedAt;

    public Task<T> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_current is not { } current
                || current.IsFaulted
                || current.IsCanceled
                || (current.IsCompleted && time.GetElapsedTime(_startedAt, now) >= ttl))
            {
                _startedAt = now;
                _current = current = load();
            }

            return current.WaitAsync(cancellationToken);
        }
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _current = null;
        }
    }
}
