namespace SafeStream.Storage.Journal;

/// <summary>
/// Collects replayed writes, running consecutive events together into one insert. Events said at or after
/// <paramref name="newsSince"/> are replayed as live: on PostgreSQL they are announced to the other instances, whose
/// viewers never saw them (a batch journalled because the database was slow or away a moment ago is still news);
/// older ones are history, left to the readers.
/// </summary>
internal sealed class BatchBuilder(DateTimeOffset newsSince)
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
        if (_events is not { Count: > 0 })
        {
            return;
        }

        var start = 0;
        for (var i = 1; i <= _events.Count; i++)
        {
            if (i == _events.Count || IsNews(_events[i]) != IsNews(_events[start]))
            {
                _ops.Add(new AppendEvents(_events[start..i]) { Live = IsNews(_events[start]) });
                start = i;
            }
        }

        _events = null;
    }

    private bool IsNews(Model.StorageEvent e) => e.Ts >= newsSince;
}
