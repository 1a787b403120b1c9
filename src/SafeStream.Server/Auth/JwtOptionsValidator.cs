using Microsoft.Extensions.Options;

namespace SafeStream.Server.Auth;

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
