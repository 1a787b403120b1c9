namespace SafeStream.Storage.Model;

/// <summary>A registered account. Lookups are by <see cref="Username"/>, compared ordinally.</summary>
public sealed record User
{
    private readonly DateTimeOffset _createdAt;
    private readonly DateTimeOffset _updatedAt;
    private readonly DateTimeOffset? _mutedUntil;
    private readonly DateTimeOffset? _tokensValidAfter;

    public required string Username { get; init; }

    /// <summary>Null when the account has none; never invented.</summary>
    public string? Email { get; init; }

    /// <summary>bcrypt hash; legacy <c>$2b$</c> hashes are kept as they are.</summary>
    public required string PasswordHash { get; init; }

    public bool IsActive { get; init; } = true;

    public bool IsAdmin { get; init; }

    // Times are kept at microsecond precision in UTC, as every store holds them.
    public DateTimeOffset CreatedAt { get => _createdAt; init => _createdAt = Micros.Truncate(value); }

    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = Micros.Truncate(value); }

    /// <summary>The user may not chat before this instant; an instant in the past means not muted.</summary>
    public DateTimeOffset? MutedUntil { get => _mutedUntil; init => _mutedUntil = value is { } v ? Micros.Truncate(v) : null; }

    /// <summary>Tokens issued before this instant are revoked (set by a kick).</summary>
    public DateTimeOffset? TokensValidAfter { get => _tokensValidAfter; init => _tokensValidAfter = value is { } v ? Micros.Truncate(v) : null; }

    /// <summary>This user with <paramref name="patch"/> applied; every patch field is an absolute value, so applying twice changes nothing.</summary>
    public User Apply(UserPatch patch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return this with
        {
            IsAdmin = patch.IsAdmin ?? IsAdmin,
            IsActive = patch.IsActive ?? IsActive,
            MutedUntil = patch.MutedUntil ?? MutedUntil,
            TokensValidAfter = patch.TokensValidAfter ?? TokensValidAfter,
            PasswordHash = patch.PasswordHash ?? PasswordHash,
            UpdatedAt = now,
        };
    }
}

/// <summary>A change to an account; null fields stay as they are. To unmute, set <see cref="MutedUntil"/> to now.</summary>
public sealed record UserPatch
{
    public bool? IsAdmin { get; init; }

    public bool? IsActive { get; init; }

    public DateTimeOffset? MutedUntil { get; init; }

    public DateTimeOffset? TokensValidAfter { get; init; }

    /// <summary>A new bcrypt hash (the migration tool settles a conflict with it when told which side wins).</summary>
    public string? PasswordHash { get; init; }

    /// <summary>This patch followed by <paramref name="later"/>: the later one's fields win.</summary>
    public UserPatch Then(UserPatch later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return new UserPatch
        {
            IsAdmin = later.IsAdmin ?? IsAdmin,
            IsActive = later.IsActive ?? IsActive,
            MutedUntil = later.MutedUntil ?? MutedUntil,
            TokensValidAfter = later.TokensValidAfter ?? TokensValidAfter,
            PasswordHash = later.PasswordHash ?? PasswordHash,
        };
    }

    /// <summary>This patch without the fields <paramref name="later"/> sets (a later change made them stale).</summary>
    public UserPatch Without(UserPatch later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return new UserPatch
        {
            IsAdmin = later.IsAdmin is null ? IsAdmin : null,
            IsActive = later.IsActive is null ? IsActive : null,
            MutedUntil = later.MutedUntil is null ? MutedUntil : null,
            TokensValidAfter = later.TokensValidAfter is null ? TokensValidAfter : null,
            PasswordHash = later.PasswordHash is null ? PasswordHash : null,
        };
    }
}

/// <summary>The answer to a registration: a duplicate username is an answer, never an exception.</summary>
public enum CreateUserResult
{
    Created,
    UsernameTaken,
}
