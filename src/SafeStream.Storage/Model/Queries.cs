namespace SafeStream.Storage.Model;

/// <summary>Which chat messages to list, newest first (by ts, then id; by id alone when <see cref="AfterId"/> is set).</summary>
public sealed record MessageQuery
{
    public int Limit { get; init; } = 100;

    /// <summary>Case-insensitive (ASCII) substring of the username.</summary>
    public string? UserContains { get; init; }

    public bool ToxicOnly { get; init; }

    /// <summary>Leaves out blocked messages (those only their sender was shown).</summary>
    public bool ExcludeBlocked { get; init; }

    /// <summary>Exclusive lower bound on <see cref="StorageEvent.Id"/>: what a client that saw this id has not (legacy lines, id 0, never match).</summary>
    public long? AfterId { get; init; }

    /// <summary>Inclusive lower bound on <see cref="StorageEvent.Ts"/>.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Exclusive upper bound on <see cref="StorageEvent.Ts"/>.</summary>
    public DateTimeOffset? Until { get; init; }

    public bool Matches(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (!ToxicOnly || message.Toxic)
            && (!ExcludeBlocked || !message.Blocked)
            && (AfterId is null || message.Id > AfterId)
            && (Since is null || message.Ts >= Since)
            && (Until is null || message.Ts < Until)
            && (UserContains is null || message.User.Contains(UserContains, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Totals since an instant, for <c>/metrics</c> and the dashboard.</summary>
public sealed record StorageCounts(
    long Messages,
    long ToxicMessages,
    long Gifts,
    long GiftAmount,
    IReadOnlyList<GifterTotal> TopGifters)
{
    public static StorageCounts Empty { get; } = new(0, 0, 0, 0, []);
}

public sealed record GifterTotal(string User, long Amount, long Count);

/// <summary>Keys of the stored settings.</summary>
public static class SettingKeys
{
    public const string ToxicityThreshold = "toxicity_threshold";
    public const string MetricsResetAt = "metrics_reset_at";

    /// <summary>When the last scheduled backup started (ISO 8601), so instances with backups folders of their own still take one per interval between them.</summary>
    public const string LastBackupAt = "last_backup_at";
}
