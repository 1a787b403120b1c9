namespace SafeStream.Storage.Model;

/// <summary>
/// PostgreSQL <c>text</c> cannot hold U+0000 (NUL): a row with one fails its whole insert batch (22021). New text is
/// checked against this at the edge (the chat frame, request bodies) and refused, in every mode and on both
/// providers, so a record that one store keeps can always be copied to the other. The legacy service stored any text
/// a client sent, so its history holds NUL in messages: import keeps those lines with U+FFFD in place of U+0000
/// (<see cref="WithNulReplaced"/>), on both providers alike so <c>copy-database</c> stays exact.
/// </summary>
public static class StoredText
{
    public const string NulReason = "holds U+0000 (NUL), which a PostgreSQL text column cannot store";

    /// <summary>What a legacy NUL becomes in storage: the Unicode replacement character.</summary>
    public const char NulReplacement = '\uFFFD';

    public static bool CanStore(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    public static bool CanStore(StorageEvent e) => e switch
    {
        ChatMessage m => CanStore(m.User) && CanStore(m.Text),
        Gift g => CanStore(g.From),
        AdminAction a => CanStore(a.Admin) && CanStore(a.Action) && CanStore(a.Target) && CanStore(a.Details),
        _ => true,
    };

    /// <summary>
    /// The event with U+FFFD in place of U+0000 in its free text (a chat message's text, an admin action's details),
    /// or null when a NUL sits in a name or another field that identifies something (that line stays a reject).
    /// </summary>
    public static StorageEvent? WithNulReplaced(StorageEvent e) => e switch
    {
        ChatMessage m when CanStore(m.User) => m with { Text = Replace(m.Text)! },
        AdminAction a when CanStore(a.Admin) && CanStore(a.Action) && CanStore(a.Target) => a with { Details = Replace(a.Details) },
        _ => null,
    };

    private static string? Replace(string? text) => text?.Replace('\0', NulReplacement);
}
