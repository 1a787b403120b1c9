namespace SafeStream.Server.Auth;

internal sealed record RegisterRequest(string Username, string Password, string? Email);

/// <summary>The OAuth2 password form (urlencoded or multipart).</summary>
internal sealed record LoginForm(string Username, string Password, string? GrantType, string? Scope, string? ClientId, string? ClientSecret);

internal sealed record TokenResponse(string AccessToken, string TokenType, string Username);

internal sealed record MeResponse(string Username, string? Email, bool Disabled);
