using SafeStream.Server.Auth;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

/// <summary>
/// What the hub knows about one user while they are connected or were moderated: their sockets, mute, token
/// revocation and rate limit. Moderator actions update it after they are stored, so it is never ahead of storage.
/// </summary>
internal sealed class UserSession
{
    private readonly Lock _lock = new();
    private ChatConnection[] _connections = [];
    private int _reserved;
    private long _mutedUntilTicks;
    private long _tokensValidAfterTicks;

    public UserSession(User user, TokenBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(user);
        Username = user.Username;
        AccountCreatedAt = user.CreatedAt;
        Bucket = bucket;
        Apply(user);
    }

    public string Username { get; }

    /// <summary>When the account these sockets were opened for was created: a different stamp is another owner of the name.</summary>
    public DateTimeOffset AccountCreatedAt { get; }

    public TokenBucket Bucket { get; }

    /// <summary>Set once the hub forgot this session; a join that finds it retires looks again.</summary>
    public bool Retired { get; private set; }

    public DateTimeOffset? MutedUntil => Ticks(Interlocked.Read(ref _mutedUntilTicks));

    public DateTimeOffset? TokensValidAfter => Ticks(Interlocked.Read(ref _tokensValidAfterTicks));

    public ChatConnection[] Connections => Volatile.Read(ref _connections);

    internal Lock Gate => _lock;

    public bool Revokes(DateTimeOffset? issuedAt) => TokenService.IsRevoked(issuedAt, TokensValidAfter);

    /// <summary>Takes the stored mute and revocation of <paramref name="user"/>.</summary>
    public void Apply(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Interlocked.Exchange(ref _mutedUntilTicks, user.MutedUntil?.UtcTicks ?? 0);
        Interlocked.Exchange(ref _tokensValidAfterTicks, user.TokensValidAfter?.UtcTicks ?? 0);
    }

    // The members below run under Gate, held by the hub.
    internal int Reserved => _reserved;

    internal void Reserve() => _reserved++;

    internal void Unreserve() => _reserved--;

    internal void Retire() => Retired = true;

    internal void Add(ChatConnection connection) => Volatile.Write(ref _connections, [.. _connections, connection]);

    internal bool Remove(ChatConnection connection)
    {
        var index = Array.IndexOf(_connections, connection);
        if (index < 0)
        {
            return false;
        }

        Volatile.Write(ref _connections, [.. _connections[..index], .. _connections[(index + 1)..]]);
        return true;
    }

    private static DateTimeOffset? Ticks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
