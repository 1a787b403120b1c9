using Microsoft.Extensions.Options;

namespace SafeStream.Server.Auth;

/// <summary>
/// Per username: after <see cref="RateLimitOptions.FailuresBeforeBackoff"/> failed logins in a row, each further
/// failure locks the name for twice as long as the one before (1 s, 2 s, 4 s, … up to
/// <see cref="RateLimitOptions.MaxBackoffSeconds"/>), whatever address the attempts come from. A success clears it.
/// Unknown names are tracked like real ones, so the lockout says nothing about which names exist.
/// </summary>
public sealed class LoginBackoff(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly RateLimitOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="username"/> is still locked, or null when it may try now.</summary>
    public TimeSpan? LockedFor(string username)
    {
        Entry entry;
        lock (_lock)
        {
            if (_options.FailuresBeforeBackoff == 0 || !_failures.TryGetValue(username, out entry))
            {
                return null;
            }
        }

        var left = entry.LockedUntil - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string username)
    {
        if (_options.FailuresBeforeBackoff == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var forget = TimeSpan.FromSeconds(_options.MaxBackoffSeconds);
        lock (_lock)
        {
            var previous = _failures.TryGetValue(username, out var entry) && now - entry.LastFailure <= forget ? entry.Failures : 0;
            var over = previous + 1 - _options.FailuresBeforeBackoff;
            var seconds = over <= 0 ? 0 : Math.Min(_options.MaxBackoffSeconds, Math.Pow(2, Math.Min(over - 1, 30)));
            _failures[username] = new Entry(previous + 1, now, now.AddSeconds(seconds));
            if (_failures.Count > PruneAbove)
            {
                Prune(now - forget);
            }
        }
    }

    public void Succeeded(string username)
    {
        lock (_lock)
        {
            _failures.Remove(username);
        }
    }

    // Under _lock.
    private void Prune(DateTimeOffset before)
    {
        foreach (var (name, entry) in _failures)
        {
            if (entry.LastFailure < before)
            {
                _failures.Remove(name);
            }
        }
    }

    private readonly record struct Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
}
