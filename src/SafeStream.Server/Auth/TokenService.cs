using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>
/// Mints legacy-compatible HS256 tokens: <c>sub</c>, <c>exp</c>, <c>iat</c> for revocation (whole seconds, as the
/// legacy service and every JWT reader expect), and <c>acct</c>, the account's creation stamp (microseconds since
/// 1970), which binds the token to that account: if the name ever gets a second owner, the token is not theirs.
/// </summary>
internal sealed class TokenService(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials = new(SigningKey(options.Value), SecurityAlgorithms.HmacSha256);

    public static SymmetricSecurityKey SigningKey(JwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SymmetricSecurityKey(options.SecretBytes);
    }

    public string Issue(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow().ToUnixTimeSeconds();

        // A kick revokes tokens issued before it. A login in the same second as the kick must still work, so its
        // whole-second iat is moved up to the second after the kick (at most one second ahead of the clock).
        var issuedAt = user.TokensValidAfter is { } validAfter ? Math.Max(now, CeilingSeconds(validAfter)) : now;
        var payload = new TokenPayload(user.Username, issuedAt, now + (options.Value.ExpireMinutes * 60L), AccountStamp(user));
        return _handler.CreateToken(JsonSerializer.Serialize(payload, TokenJsonContext.Default.TokenPayload), _credentials);
    }

    /// <summary>What <c>acct</c> holds for <paramref name="user"/>.</summary>
    public static long AccountStamp(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Micros.ToUnix(user.CreatedAt);
    }

    /// <summary>
    /// Whether the token was issued for <paramref name="user"/>: its <c>acct</c> is the account's stamp, or, for a token
    /// without one (the legacy service's, or ours from before <c>acct</c>), it was issued no earlier than the account was
    /// created (<c>iat</c>, else <c>exp</c> less the configured lifetime); an older token belonged to an earlier owner.
    /// </summary>
    public bool IsFor(TokenFacts token, User user)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(user);
        if (token.Account is { } stamp)
        {
            return stamp == AccountStamp(user);
        }

        var issued = token.IssuedAt ?? token.Expires.AddMinutes(-options.Value.ExpireMinutes);
        return issued.ToUnixTimeSeconds() >= user.CreatedAt.ToUnixTimeSeconds();
    }

    /// <summary>A kick revokes every token issued before it; a token without <c>iat</c> (legacy) counts as issued before any kick.</summary>
    public static bool IsRevoked(DateTimeOffset? issuedAt, DateTimeOffset? tokensValidAfter) =>
        tokensValidAfter is { } validAfter && (issuedAt is not { } iat || iat < validAfter);

    private static long CeilingSeconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
    }
}

internal sealed record TokenPayload(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("acct")] long Acct);

[JsonSerializable(typeof(TokenPayload))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
