using SafeStream.Storage.Model;

namespace SafeStream.Storage.Retention;

/// <summary>
/// Instants before which chat messages and gifts are gone (null: none of that kind is). As a horizon it says what a run
/// removes; as the database's recorded floor it says what was removed, and no insert path stores an event below it
/// again (journal replay, <c>import</c>, a late commit), whichever process runs it.
/// </summary>
public sealed record RetentionFloor(DateTimeOffset? Chat, DateTimeOffset? Gifts)
{
    public static readonly RetentionFloor None = new(null, null);

    public bool IsNone => Chat is null && Gifts is null;

    /// <summary>Whether <paramref name="e"/> is older than the floor of its kind (admin actions never are).</summary>
    public bool Covers(StorageEvent e) => e switch
    {
        ChatMessage m => Chat is { } chat && m.Ts < chat,
        Gift g => Gifts is { } gifts && g.Ts < gifts,
        _ => false,
    };

    /// <summary>The floor of <paramref name="kind"/>, or null.</summary>
    public DateTimeOffset? Of(EventKind kind) => kind switch
    {
        EventKind.Chat => Chat,
        EventKind.Gift => Gifts,
        _ => null,
    };

    /// <summary>The later of the two floors, per kind (a floor only rises).</summary>
    public RetentionFloor Max(RetentionFloor other) => new(Later(Chat, other.Chat), Later(Gifts, other.Gifts));

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
