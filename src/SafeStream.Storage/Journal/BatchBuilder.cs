namespace SafeStream.Storage.Journal;

/// <summary>Collects replayed writes, running consecutive events together into one insert.</summary>
internal sealed class BatchBuilder
{
    private readonly List<WriteOp> _ops = [];
    private List<Model.StorageEvent>? _events;

    public int Records { get; private set; }

    /// <summary>Counts a record; a null op (a line that could not be parsed) is counted and dropped.</summary>
    public void Add(WriteOp? op)
    {
        Records++;
        switch (op)
        {
            case null:
                return;
            case AppendEvents { SourceKeys: null } append:
                (_events ??= []).AddRange(append.Events);
                return;
            default:
                FlushEvents();
                _ops.Add(op);
                return;
        }
    }

    public IReadOnlyList<WriteOp> Build()
    {
        FlushEvents();
        return _ops;
    }

    private void FlushEvents()
    {
        if (_events is { Count: > 0 })
        {
            _ops.Add(new AppendEvents(_events));
            _events = null;
        }
    }
}
