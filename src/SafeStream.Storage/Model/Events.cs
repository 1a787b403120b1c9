namespace SafeStream.Storage.Model;

/// <summary>
/// Something that happened in the chat. <see cref="Id"/> is assigned once when the event enters the system
/// (see <see cref="EventIds.EventIdGenerator"/>) and kept by every store; 0 only for legacy lines that never had one.
/// </summary>
public abstract record StorageEvent
{
    private readonly DateTimeOffset _ts;

    protected StorageEvent(long id, DateTimeOffset ts)
    {
        Id = id;
        Ts = ts;
    }

    public long Id { get; init; }

    /// <summary>UTC, microsecond precision (what the legacy files and the database hold).</summary>
    public DateTimeOffset Ts
    {
        get => _ts;
        init => _ts = Micros.Truncate(value);
    }
}

public sealed record ChatMessage(long Id, string User, string Text, bool Toxic, double Score, bool Blocked, DateTimeOffset Ts)
    : StorageEvent(Id, Ts);

public sealed record Gift(long Id, string From, int GiftId, int Amount, DateTimeOffset Ts)
    : StorageEvent(Id, Ts);

/// <summary>A moderator action: <c>kick</c>, <c>mute</c>, <c>unmute</c>, <c>reset_metrics</c>, <c>threshold</c>, <c>grant_admin</c>…</summary>
public sealed record AdminAction(long Id, string Admin, string Action, string? Target, string? Details, DateTimeOffset Ts)
    : StorageEvent(Id, Ts);

/// <summary>The three kinds of event, one table each in the database.</summary>
public enum EventKind
{
    Chat,
    Gift,
    AdminAction,
}
