using Microsoft.Extensions.Options;
using SafeStream.Storage.SignIn;

namespace SafeStream.Server.Auth;

/// <summary>
/// Every sign-in limit, over <see cref="ISignInCounters"/> (in memory, or in PostgreSQL so several instances share
/// them), each client address keyed by <see cref="ClientAddresses"/> (IPv6 by its /64):
/// <list type="bullet">
/// <item>logins per address (a token bucket) and registrations per address (an hourly window);</item>
/// <item>per (username, address): after <see cref="RateLimitOptions.FailuresBeforeBackoff"/> failures in a row, each
/// further failure locks the pair for twice as long as the one before (1 s, 2 s, 4 s, … up to
/// <see cref="RateLimitOptions.MaxBackoffSeconds"/>). A stranger's failures never lock the owner out elsewhere;</item>
/// <item>per username, from every address: past <see cref="RateLimitOptions.UsernameFailureCeiling"/> failures, each
/// address that has failed for the name may try once per <see cref="RateLimitOptions.MaxBackoffSeconds"/>; an address
/// with no failures for it is not refused, so the right password from the owner's address still signs in.</item>
/// </list>
/// Unknown names are tracked like real ones, so a lockout says nothing about which names exist. A success clears its pair.
/// </summary>
internal sealed class SignInLimits(ISignInCounters counters, IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly RateLimitOptions _options = options.Value;

    /// <summary>Null when <paramref name="address"/> may try a login now, else how long until it may.</summary>
    public Task<TimeSpan?> LoginFromAsync(string address, CancellationToken cancellationToken) =>
        _options.LoginsPerMinute == 0
            ? Task.FromResult<TimeSpan?>(null)
            : counters.TakeAsync($"login\n{address}", _options.LoginBurst, _options.LoginsPerMinute / 60.0, cancellationToken);

    /// <summary>Null when <paramref name="address"/> may register now, else how long until it may.</summary>
    public Task<TimeSpan?> RegistrationFromAsync(string address, CancellationToken cancellationToken) =>
        _options.RegistrationsPerHour == 0
            ? Task.FromResult<TimeSpan?>(null)
            : counters.CountAsync($"register\n{address}", _options.RegistrationsPerHour, TimeSpan.FromHours(1), cancellationToken);

    /// <summary>How long <paramref name="username"/> may not be tried from <paramref name="address"/>, or null when it may now.</summary>
    public async Task<TimeSpan?> LockedForAsync(string username, string address, CancellationToken cancellationToken)
    {
        if (!Tracking)
        {
            return null;
        }

        var failures = await counters.ReadFailuresAsync([Pair(username, address), Name(username)], cancellationToken);
        var (pair, name) = (failures[0], failures[1]);
        var until = DateTimeOffset.MinValue;
        var over = pair.Count - _options.FailuresBeforeBackoff;
        if (_options.FailuresBeforeBackoff > 0 && over > 0)
        {
            until = pair.Last.AddSeconds(Math.Min(_options.MaxBackoffSeconds, Math.Pow(2, Math.Min(over - 1, 30))));
        }

        if (_options.UsernameFailureCeiling > 0 && name.Count >= _options.UsernameFailureCeiling && pair.Count > 0)
        {
            until = Max(until, pair.Last.AddSeconds(_options.MaxBackoffSeconds));
        }

        var left = until - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public Task FailedAsync(string username, string address, CancellationToken cancellationToken) =>
        Tracking
            ? counters.FailedAsync([Pair(username, address), Name(username)], TimeSpan.FromSeconds(_options.MaxBackoffSeconds), cancellationToken)
            : Task.CompletedTask;

    /// <summary>Clears the pair's failures; the name's count from every address stays (an attack on it goes on).</summary>
    public Task SucceededAsync(string username, string address, CancellationToken cancellationToken) =>
        Tracking ? counters.ClearAsync(Pair(username, address), cancellationToken) : Task.CompletedTask;

    private bool Tracking => _options.FailuresBeforeBackoff > 0 || _options.UsernameFailureCeiling > 0;

    // Usernames reach here validated: printable (no line break) and at most 50 characters.
    private static string Pair(string username, string address) => $"fail\n{username}\n{address}";

    private static string Name(string username) => $"fail\n{username}";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
