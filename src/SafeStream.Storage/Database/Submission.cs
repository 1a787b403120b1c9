namespace SafeStream.Storage.Database;

/// <summary>Writes queued for the <see cref="DbWriter"/>, and how their caller is told the outcome.</summary>
internal sealed class Submission(IReadOnlyList<WriteOp> ops)
{
    private const int Queued = 0, Started = 1, Abandoned = 2;
    private int _state;
    private CancellationTokenRegistration _watch;

    public IReadOnlyList<WriteOp> Ops => ops;

    public TaskCompletionSource<WriteResults> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Records { get; } = Count(ops);

    /// <summary>A cancellation before the writer takes the submission abandons it; after that it has no effect.</summary>
    public void WatchFor(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _watch = cancellationToken.UnsafeRegister(static (state, token) => ((Submission)state!).Abandon(token), this);
        }
    }

    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    public void Complete(WriteResults results)
    {
        _watch.Unregister();
        Result.TrySetResult(results);
    }

    public void Fail(Exception exception)
    {
        _watch.Unregister();
        Result.TrySetException(exception);
    }

    private void Abandon(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued)
        {
            Result.TrySetCanceled(token);
        }
    }

    private static int Count(IReadOnlyList<WriteOp> ops)
    {
        var records = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            records += ops[i].Records;
        }

        return records;
    }
}
