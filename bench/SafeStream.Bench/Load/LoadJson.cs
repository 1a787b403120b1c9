using System.Text.Json.Serialization;

namespace SafeStream.Bench.Load;

/// <summary>A client's chat frame, the only one the legacy protocol lets it send: <c>{"type":"chat","message":"…"}</c>.</summary>
internal sealed record ChatIn(string? Type, string? Message);

/// <summary>The server's chat frame as the real server mints it: a unique id, a UTC ts ending in Z.</summary>
internal sealed record ChatOut(string Type, long Id, string User, string Message, bool Toxic, double Score, DateTime Ts, bool Blocked);

internal sealed record Credentials(string Username, string Password);

internal sealed record TokenResponse(string AccessToken, string TokenType, string Username);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatIn))]
[JsonSerializable(typeof(ChatOut))]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
