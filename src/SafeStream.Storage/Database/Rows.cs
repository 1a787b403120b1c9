namespace SafeStream.Storage.Database;

// Times are Unix microseconds in integer columns: exact, ordered, and the same on every provider.

internal sealed class UserRow
{
    public long Id { get; set; }

    public required string Username { get; set; }

    public string? Email { get; set; }

    public required string PasswordHash { get; set; }

    public bool IsActive { get; set; }

    public bool IsAdmin { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public long? MutedUntil { get; set; }

    public long? TokensValidAfter { get; set; }

    // When each changeable field was last changed: a change older than the field's stamp is not applied, so a
    // journalled change replayed late never undoes a newer one (last change wins, per field).
    public long IsAdminAt { get; set; }

    public long IsActiveAt { get; set; }

    public long MutedUntilAt { get; set; }

    public long TokensValidAfterAt { get; set; }

    public long PasswordHashAt { get; set; }
}

internal sealed class ChatMessageRow
{
    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string Username { get; set; }

    public required string Message { get; set; }

    public bool Toxic { get; set; }

    public double Score { get; set; }

    public bool Blocked { get; set; }

    public long Ts { get; set; }
}

internal sealed class GiftRow
{
    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string FromUser { get; set; }

    public int GiftId { get; set; }

    public int Amount { get; set; }

    public long Ts { get; set; }
}

internal sealed class AdminActionRow
{
    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string AdminUser { get; set; }

    public required string Action { get; set; }

    public string? TargetUser { get; set; }

    public string? Details { get; set; }

    public long Ts { get; set; }
}

internal sealed class SettingRow
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    /// <summary>When the value was set: an older value is not applied over it.</summary>
    public long UpdatedAt { get; set; }
}
