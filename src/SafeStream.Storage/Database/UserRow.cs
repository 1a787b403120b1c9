using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

// Times are Unix microseconds in integer columns: exact, ordered, and the same on every provider.

internal sealed class UserRow
{
    /// <summary>The columns a user is read back from in raw SQL (the writer's patch answers with them), in this order.</summary>
    public const string Columns = "username, email, password_hash, is_active, is_admin, created_at, updated_at, muted_until, tokens_valid_after";

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

    /// <summary>A row read in the order of <see cref="Columns"/>.</summary>
    public static UserRow Read(DbDataReader r) => new()
    {
        Username = r.GetString(0),
        Email = r.IsDBNull(1) ? null : r.GetString(1),
        PasswordHash = r.GetString(2),
        IsActive = r.GetBoolean(3),
        IsAdmin = r.GetBoolean(4),
        CreatedAt = r.GetInt64(5),
        UpdatedAt = r.GetInt64(6),
        MutedUntil = r.IsDBNull(7) ? null : r.GetInt64(7),
        TokensValidAfter = r.IsDBNull(8) ? null : r.GetInt64(8),
    };

    public User ToUser() => new()
    {
        Username = Username,
        Email = Email,
        PasswordHash = PasswordHash,
        IsActive = IsActive,
        IsAdmin = IsAdmin,
        CreatedAt = Micros.FromUnix(CreatedAt),
        UpdatedAt = Micros.FromUnix(UpdatedAt),
        MutedUntil = MutedUntil is { } m ? Micros.FromUnix(m) : null,
        TokensValidAfter = TokensValidAfter is { } t ? Micros.FromUnix(t) : null,
    };

    /// <summary>Whether both rows hold the same account, every stamp included (the row ids aside: each database numbers its own).</summary>
    public bool SameAs(UserRow other) =>
        Username == other.Username && Email == other.Email && PasswordHash == other.PasswordHash && IsActive == other.IsActive &&
        IsAdmin == other.IsAdmin && CreatedAt == other.CreatedAt && UpdatedAt == other.UpdatedAt && MutedUntil == other.MutedUntil &&
        TokensValidAfter == other.TokensValidAfter && IsAdminAt == other.IsAdminAt && IsActiveAt == other.IsActiveAt &&
        MutedUntilAt == other.MutedUntilAt && TokensValidAfterAt == other.TokensValidAfterAt && PasswordHashAt == other.PasswordHashAt;
}
