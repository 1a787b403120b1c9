namespace SafeStream.Storage.Model;

/// <summary>
/// PostgreSQL <c>text</c> cannot hold U+0000 (NUL): a row with one fails its whole insert batch (22021). Text that
/// enters storage is checked against this at the edge (the chat frame, request bodies, the legacy files on import),
/// in every mode and on both providers, so a record that one store keeps can always be copied to the other.
/// </summary>
public static class StoredText
{
    public const string NulReason = "holds U+0000 (NUL), which a PostgreSQL text column cannot store";

    public static bool CanStore(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);

    public static bool CanStore(StorageEvent e) => e switch
    {
        ChatMessage m => CanStore(m.User) && CanStore(m.Text),
        Gift g => CanStore(g.From),
        AdminAction a => CanStore(a.Admin) && CanStore(a.Action) && CanStore(a.Target) && CanStore(a.Details),
        _ => true,
    };
}
