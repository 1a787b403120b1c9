using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Auth;

/// <summary>
/// The <c>RateLimits</c> section: how often one client address may sign in or register, and how a username that keeps
/// failing from one address, or from many, is slowed down (see <see cref="SignInLimits"/>). Every login and registration costs a bcrypt (about 0.3 s of a core at cost 12), so these
/// limits are what keeps password guessing slow and the chat responsive. 0 lifts a limit.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Logins one client address may try per minute, after <see cref="LoginBurst"/>.</summary>
    [Range(0, 1_000_000)]
    public int LoginsPerMinute { get; set; } = 10;

    /// <summary>Logins one client address may try at once.</summary>
    [Range(1, 1_000_000)]
    public int LoginBurst { get; set; } = 10;

    /// <summary>Accounts one client address may register per hour.</summary>
    [Range(0, 1_000_000)]
    public int RegistrationsPerHour { get; set; } = 5;

    /// <summary>Failed logins in a row for one username from one address before each further one locks that pair for 1, 2, 4, … seconds.</summary>
    [Range(0, 1_000)]
    public int FailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The longest lockout, and how long failures are remembered.</summary>
    [Range(1, 86_400)]
    public int MaxBackoffSeconds { get; set; } = 900;

    /// <summary>
    /// Failed logins for one username from all addresses together (within <see cref="MaxBackoffSeconds"/>) past which
    /// the name is under a distributed guess: each address that has failed for it may try once per
    /// <see cref="MaxBackoffSeconds"/>. An address with no failures for the name is never refused by it, so the owner
    /// still gets in with the right password.
    /// </summary>
    [Range(0, 1_000_000)]
    public int UsernameFailureCeiling { get; set; } = 100;

    /// <summary>The most counters (addresses, usernames) one process keeps in memory; the oldest go first past it.</summary>
    [Range(100, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;
}
