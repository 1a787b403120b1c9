using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>
/// bcrypt, as the legacy service used it: its <c>$2b$</c> hashes verify, and new hashes are <c>$2b$</c> too. The requests
/// that hash share <see cref="PasswordOptions.MaxConcurrentHashes"/> slots, so a flood of logins queues behind them
/// (and past <see cref="PasswordOptions.HashQueueLimit"/> is refused) instead of taking every core from the chat.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    /// <summary>bcrypt reads at most this many bytes of a password; longer ones would be silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    private const string NotAPassword = "not a password";
    private readonly PasswordOptions _options;
    private readonly Lazy<string> _dummyHash;
    private readonly ConcurrencyLimiter _slots;

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _dummyHash = new(() => Hash(NotAPassword));
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrentHashes,
            QueueLimit = _options.HashQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public static bool IsTooLong(string password) => Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes;

    /// <summary>A new hash, outside the request slots (the admin command line).</summary>
    public string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(_options.BcryptCost, 'b'));

    /// <summary>A new hash, in one of the request slots. Throws <see cref="ServerBusyException"/> when the queue is full.</summary>
    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        using var slot = await AcquireAsync(cancellationToken);
        return Hash(password);
    }

    /// <summary>
    /// Whether <paramref name="password"/> is <paramref name="user"/>'s, in one of the request slots. Every answer costs
    /// one bcrypt at the cost of the hash it would be checked against, so the response time does not tell an unknown
    /// username, or a password too long to check, from a wrong password.
    /// </summary>
    public async Task<bool> CheckAsync(string password, User? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        using var slot = await AcquireAsync(cancellationToken);
        var tooLong = IsTooLong(password);
        var hash = user?.PasswordHash ?? _dummyHash.Value;
        try
        {
            return BCrypt.Net.BCrypt.Verify(tooLong ? NotAPassword : password, hash) && user is not null && !tooLong;
        }
        catch (BCrypt.Net.SaltParseException)
        {
            BCrypt.Net.BCrypt.Verify(NotAPassword, _dummyHash.Value); // a hash we cannot read matches no password, in the same time
            return false;
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _slots.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ServerBusyException("Too many sign-ins at once; try again in a moment.", "password_queue");
        }

        return lease;
    }
}

/// <summary>The server refuses work it has no room for now: answered 503 with <c>Retry-After</c>, nothing is lost.</summary>
internal sealed class ServerBusyException(string message, string limit) : Exception(message)
{
    /// <summary>Which limit refused, as counted in the rate-limit metric.</summary>
    public string Limit => limit;
}
