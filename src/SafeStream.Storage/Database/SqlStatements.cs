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

    public const string InsertUser =
        "INSERT INTO users (username, email, password_hash, is_active, is_admin, created_at, updated_at, muted_until, tokens_valid_after) " +
        "VALUES (@username, @email, @password_hash, @is_active, @is_admin, @created_at, @updated_at, @muted_until, @tokens_valid_after) " +
        "ON CONFLICT (username) DO NOTHING";

    public const string PatchUser =
        "UPDATE users SET is_admin = COALESCE(@is_admin, is_admin), is_active = COALESCE(@is_active, is_active), " +
        "muted_until = COALESCE(@muted_until, muted_until), tokens_valid_after = COALESCE(@tokens_valid_after, tokens_valid_after), " +
        "password_hash = COALESCE(@password_hash, password_hash), " +
        "updated_at = @updated_at WHERE username = @username " +
        "RETURNING username, email, password_hash, is_active, is_admin, created_at, updated_at, muted_until, tokens_valid_after";

    public const string UpsertSetting =
        "INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
}
