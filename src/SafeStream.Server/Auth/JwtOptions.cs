using System.ComponentModel.DataAnnotations;
using System.Text;

namespace SafeStream.Server.Auth;

/// <summary>The <c>Jwt</c> section: HS256 tokens the legacy service can read and vice versa.</summary>
internal sealed class JwtOptions
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
