using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.Extensions.Options;

namespace SafeStream.Server.Auth;

/// <summary>The <c>Jwt</c> section: HS256 tokens the legacy service can read and vice versa.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>What the legacy service used when <c>JWT_SECRET_KEY</c> was unset; accepted only in Development, and only when set by name.</summary>
    public const string LegacyDefaultSecret = "your-secret-key-change-in-production";

    /// <summary>The HMAC secret (legacy alias <c>JWT_SECRET_KEY</c>). Empty in Development means a random secret per run.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>Token lifetime (legacy alias <c>JWT_EXPIRE_MINUTES</c>).</summary>
    [Range(1, 525_600)]
    public int ExpireMinutes { get; set; } = 30;

    public byte[] SecretBytes => Encoding.UTF8.GetBytes(SecretKey);

    /// <summary>True when Development made up the secret for this run (tokens do not outlive a restart).</summary>
    internal bool RandomPerRun { get; set; }
}

/// <summary>Refuses secrets that would let anyone mint tokens, naming the key so the operator knows what to set.</summary>
internal sealed partial class JwtOptionsValidator(IHostEnvironment environment, ILogger<JwtOptionsValidator> logger) : IValidateOptions<JwtOptions>
{
    // The token library refuses shorter HMAC keys.
    public const int MinimumSecretBytes = 32;

    private int _warned;

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (environment.IsDevelopment() && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            if (options.SecretKey == JwtOptions.LegacyDefaultSecret)
            {
                LogLegacySecret(logger);
            }
            else if (options.RandomPerRun)
            {
                LogRandomSecret(logger);
            }
        }

        if (!environment.IsDevelopment() && (string.IsNullOrWhiteSpace(options.SecretKey) || options.SecretKey == JwtOptions.LegacyDefaultSecret))
        {
            return ValidateOptionsResult.Fail(
                $"Jwt:SecretKey (or JWT_SECRET_KEY) must be set to a secret of your own outside Development (environment '{environment.EnvironmentName}'); the legacy default and an empty secret are refused.");
        }

        return options.SecretBytes.Length < MinimumSecretBytes
            ? ValidateOptionsResult.Fail($"Jwt:SecretKey must be at least {MinimumSecretBytes} bytes long (HS256).")
            : ValidateOptionsResult.Success;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: tokens are signed with the publicly known legacy default secret, as configured; anyone who reaches this server can mint tokens")]
    private static partial void LogLegacySecret(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: no Jwt:SecretKey set, so tokens are signed with a random secret for this run only; set Jwt:SecretKey (or JWT_SECRET_KEY) to keep them across restarts")]
    private static partial void LogRandomSecret(ILogger logger);
}

/// <summary>The <c>Passwords</c> section.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "Passwords";

    /// <summary>bcrypt cost of new hashes; existing hashes keep their own cost.</summary>
    [Range(4, 31)]
    public int BcryptCost { get; set; } = 12;

    /// <summary>bcrypt runs at once for requests (login, register); by default half the cores, so the chat keeps the rest.</summary>
    [Range(1, 1_024)]
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Requests that may wait for a bcrypt slot; more are answered 503 with <c>Retry-After</c>.</summary>
    [Range(0, 100_000)]
    public int HashQueueLimit { get; set; } = 64;
}

/// <summary>The <c>Admin</c> section.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Accounts that are admins whatever their stored flag says (name them only once they are registered).</summary>
    public string[] Usernames { get; set; } = [];
}
