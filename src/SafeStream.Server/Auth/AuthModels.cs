namespace SafeStream.Server.Auth;

public sealed record RegisterRequest(string Username, string Password, string? Email);

/// <summary>The OAuth2 password form (urlencoded or multipart).</summary>
public sealed record LoginForm(string Username, string Password, string? GrantType, string? Scope, string? ClientId, string? ClientSecret);

public sealed record TokenResponse(string AccessToken, string TokenType, string Username);

public sealed record MeResponse(string Username, string? Email, bool Disabled);
