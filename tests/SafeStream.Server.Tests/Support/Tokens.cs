using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SafeStream.Server.Tests.Support;

/// <summary>HS256 tokens minted by hand, as the legacy Python service (python-jose) made them: <c>sub</c> and <c>exp</c> only.</summary>
public static class Tokens
{
    public static string Mint(string secret, string subject, DateTimeOffset expires, DateTimeOffset? issuedAt = null, IReadOnlyDictionary<string, object>? extra = null)
    {
        var header = Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray());
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["exp"] = expires.ToUnixTimeSeconds() };
        if (issuedAt is { } iat)
        {
            claims["iat"] = iat.ToUnixTimeSeconds();
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Encode(signature)}";
    }

    /// <summary>The decoded payload of a token.</summary>
    public static JsonElement Payload(string token) => JsonDocument.Parse(Decode(token.Split('.')[1])).RootElement.Clone();

    public static JsonElement Header(string token) => JsonDocument.Parse(Decode(token.Split('.')[0])).RootElement.Clone();

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
