namespace SafeStream.Server.Admin;

public sealed record UsernameRequest(string Username);

/// <summary><c>minutes</c> defaults to 5.</summary>
public sealed record MuteRequest(string Username, double? Minutes);

public sealed record AdminResponse(string Status, string Message);

public sealed record MuteResponse(string Status, string Message, DateTimeOffset MutedUntil);
