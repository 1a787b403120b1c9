using SafeStream.Storage.Model;

namespace SafeStream.Storage;

/// <summary>
/// A write, as the database writer executes it and the journal keeps it. Every op is idempotent (ids and source
/// keys are unique, patches and settings are absolute and stamped with when they were made), so replaying one that
/// already reached the database is harmless. The four ops below are the whole family: each names the type of its
/// result (<see cref="WriteOp{TResult}"/>), which <see cref="WriteResults.Of{TResult}"/> hands back typed.
/// </summary>
public abstract record WriteOp
{
    private protected WriteOp()
    {
    }

    /// <summary>How many records the op writes (the writer's batches and the journal's backlog count records).</summary>
    internal abstract int Records { get; }

    /// <summary>Executes the op on a database writer; the result is the op's <see cref="WriteOp{TResult}"/> type.</summary>
    internal abstract object? Run(IWriteExecutor executor);
}

/// <summary>A write whose outcome is a <typeparamref name="TResult"/>.</summary>
public abstract record WriteOp<TResult> : WriteOp
{
    private protected WriteOp()
    {
    }

    internal sealed override object? Run(IWriteExecutor executor) => Execute(executor);

    internal abstract TResult Execute(IWriteExecutor executor);
}

/// <summary>What executes each kind of write (a database writer inside its transaction); one method per op, typed by its result.</summary>
internal interface IWriteExecutor
{
    AppendResult Append(AppendEvents op);

    bool Create(CreateUser op);

    User? Patch(PatchUser op);

    bool Put(PutSetting op);
}

/// <summary>Events to insert; <see cref="SourceKeys"/> (same length, entries may be null) marks imported legacy lines.</summary>
public sealed record AppendEvents(IReadOnlyList<StorageEvent> Events, IReadOnlyList<byte[]?>? SourceKeys = null) : WriteOp<AppendResult>
{
    /// <summary>
    /// Said live (not an import or a copy, nor a replay of what was journalled longer ago than
    /// <see cref="Journal.SpillJournal.NewsFor"/>): on PostgreSQL the batch is announced to the other server instances,
    /// which deliver it to their viewers.
    /// </summary>
    public bool Live { get; init; }

    internal override int Records => Events.Count;

    internal override AppendResult Execute(IWriteExecutor executor) => executor.Append(this);
}

/// <summary>Inserts the user unless the username exists; the result is true when it was inserted.</summary>
public sealed record CreateUser(User User) : WriteOp<bool>
{
    internal override int Records => 1;

    internal override bool Execute(IWriteExecutor executor) => executor.Create(this);
}

/// <summary>
/// Patches the user as of <see cref="At"/>, when the change was made: each field changes only if no later change of
/// it is stored (last change wins, per field). The result is the user as stored, or null when there is none.
/// </summary>
public sealed record PatchUser(string Username, UserPatch Patch, DateTimeOffset At) : WriteOp<User?>
{
    internal override int Records => 1;

    internal override User? Execute(IWriteExecutor executor) => executor.Patch(this);
}

/// <summary>Sets a setting as of <see cref="At"/>, unless a later value of it is stored; the result is true when this value is stored now.</summary>
public sealed record PutSetting(string Key, string Value, DateTimeOffset At) : WriteOp<bool>
{
    internal override int Records => 1;

    internal override bool Execute(IWriteExecutor executor) => executor.Put(this);
}
