using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using SafeStream.Server.Hosting;
using SafeStream.Storage;

namespace SafeStream.Server.Auth;

/// <summary>
/// Bearer checks beyond the signature: the account exists, is active and was not kicked since the token was issued;
/// failures answer with the legacy texts. The WebSocket passes its token in the query string.
/// </summary>
internal sealed class BearerEvents(IStorage storage, IOptionsMonitor<AdminOptions> admins) : JwtBearerEvents
{
    public const string RoleClaim = "role";
    public const string AdminRole = "admin";
    private const string OutageKey = "safestream.auth.outage";
    private const string InactiveKey = "safestream.auth.inactive";

    /// <summary>Why authentication failed because of storage, for endpoints that check the caller themselves (the WebSocket).</summary>
    public static StorageUnavailableException? Outage(HttpContext context) => context.Items[OutageKey] as StorageUnavailableException;

    public static bool Inactive(HttpContext context) => context.Items.ContainsKey(InactiveKey);

    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (context.Request.Path.StartsWithSegments("/ws") && context.Request.Query.TryGetValue("token", out var token))
        {
            context.Token = token.ToString();
        }

        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var identity = context.Principal?.Identity as ClaimsIdentity;
        if (identity?.FindFirst("sub")?.Value is not { Length: > 0 } username || context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("The token names no user.");
            return;
        }

        try
        {
            var user = await storage.FindUserAsync(username, context.HttpContext.RequestAborted);
            DateTimeOffset? issuedAt = token.TryGetPayloadValue<long>("iat", out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : null;
            if (user is null || TokenService.IsRevoked(issuedAt, user.TokensValidAfter))
            {
                context.Fail("Unknown user or revoked token.");
                return;
            }

            if (!user.IsActive)
            {
                context.HttpContext.Items[InactiveKey] = true;
                context.Fail("Inactive user.");
                return;
            }

            var isAdmin = user.IsAdmin || admins.CurrentValue.Usernames.Contains(user.Username, StringComparer.Ordinal);
            if (isAdmin)
            {
                identity.AddClaim(new Claim(RoleClaim, AdminRole));
            }

            context.HttpContext.Features.Set(new CurrentUser(user, issuedAt, isAdmin));
        }
        catch (StorageUnavailableException ex)
        {
            context.HttpContext.Items[OutageKey] = ex;
            context.Fail(ex);
        }
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (Outage(http) is { } outage)
        {
            await ApiErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, outage.Message);
            return;
        }

        if (Inactive(http))
        {
            await ApiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, "Inactive user");
            return;
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        var detail = context.AuthenticateFailure is null ? "Not authenticated" : "Could not validate credentials";
        await ApiErrors.WriteAsync(http, StatusCodes.Status401Unauthorized, detail);
    }
}
