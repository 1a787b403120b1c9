namespace SafeStream.Storage.Database;

/// <summary>
/// The writer's statements, in the SQL that both SQLite (3.35+) and PostgreSQL accept: <c>ON CONFLICT</c> makes a
/// repeated id or source key a no-op, <c>RETURNING</c> answers a patch in the same round trip.
/// </summary>
internal static class SqlStatements
{
    public const string InsertChat =
        "INSERT INTO chat_messages (id, source_key, username, message, toxic, score, blocked, ts) " +
        "VALUES (@id, @source_key, @username, @message, @toxic, @score, @blocked, @ts) ON CONFLICT DO NOTHING";

    public const string InsertGift =
        "INSERT INTO gifts (id, source_key, from_user, gift_id, amount, ts) " +
        "VALUES (@id, @source_key, @from_user, @gift_id, @amount, @ts) ON CONFLICT DO NOTHING";

    public const string InsertAdmin =
        "INSERT INTO admin_actions (id, source_key, admin_user, action, target_user, details, ts) " +
        "VALUES (@id, @source_key, @admin_user, @action, @target_user, @details, @ts) ON CONFLICT DO NOTHING";

    // A new account's fields count as changed when the account was last changed.
    public const string InsertUser =
        "INSERT INTO users (username, email, password_hash, is_active, is_admin, created_at, updated_at, muted_until, tokens_valid_after, " +
        "is_admin_at, is_active_at, muted_until_at, tokens_valid_after_at, password_hash_at) " +
        "VALUES (@username, @email, @password_hash, @is_active, @is_admin, @created_at, @updated_at, @muted_until, @tokens_valid_after, " +
        "@updated_at, @updated_at, @updated_at, @updated_at, @updated_at) " +
        "ON CONFLICT (username) DO NOTHING";

    // The fields a patch may change, each with a column <name>_at holding when it last changed.
    private static readonly string[] PatchedFields = ["is_admin", "is_active", "muted_until", "tokens_valid_after", "password_hash"];

    // Each field takes the patch's value only when the patch sets it and is not older than the field's last change.
    // Every right-hand side sees the row as it was before this UPDATE, so value and stamp agree.
    public static readonly string PatchUser =
        $"UPDATE users SET {string.Join(", ", PatchedFields.Select(Field))}, updated_at = CASE WHEN @at > updated_at THEN @at ELSE updated_at END " +
        "WHERE username = @username " +
        "RETURNING " + UserRow.Columns;

    public const string UpsertSetting =
        "INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @at) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE excluded.updated_at >= settings.updated_at";

    private static string Field(string name) =>
        $"{name} = CASE WHEN @{name} IS NOT NULL AND @at >= {name}_at THEN @{name} ELSE {name} END, " +
        $"{name}_at = CASE WHEN @{name} IS NOT NULL AND @at >= {name}_at THEN @at ELSE {name}_at END";
}
