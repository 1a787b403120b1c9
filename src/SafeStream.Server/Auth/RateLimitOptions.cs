using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Auth;

/// <summary>
/// The <c>RateLimits</c> section: how often one client address may sign in or register, and how a username that keeps
/// failing is slowed down. Every login and registration costs a bcrypt (about 0.3 s of a core at cost 12), so these
/// limits are what keeps password guessing slow and the chat responsive. 0 lifts a limit.
/// </summary>
public sealed class RateLimitOptions
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

    /// <summary>Failed logins in a row for one username before each further one locks it for 1, 2, 4, … seconds.</summary>
    [Range(0, 1_000)]
    public int FailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The longest lockout of a username, and how long its failures are remembered.</summary>
    [Range(1, 86_400)]
    public int MaxBackoffSeconds { get; set; } = 900;
}
