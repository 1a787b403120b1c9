namespace SafeStream.Server.Admin;

internal sealed record UsernameRequest(string Username);

/// <summary><c>minutes</c> defaults to 5.</summary>
internal sealed record MuteRequest(string Username, double? Minutes);

internal sealed record AdminResponse(string Status, string Message);

internal sealed record MuteResponse(string Status, string Message, DateTimeOffset MutedUntil);
