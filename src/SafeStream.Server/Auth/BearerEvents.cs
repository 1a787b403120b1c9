using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using SafeStream.Server.Hosting;
using SafeStream.Storage;

namespace SafeStream.Server.Auth;

/// <summary>
/// Bearer checks beyond the signature: the account exists, is active and was not kicked since the token was issued;
/// failures answer with the legacy texts. The WebSocket passes its token in the query string.
/// </summary>
internal sealed partial class BearerEvents(AccountAccess access, ILogger<BearerEvents> logger) : JwtBearerEvents
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
            DateTimeOffset? issuedAt = token.TryGetPayloadValue<long>("iat", out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : null;
            long? account = token.TryGetPayloadValue<long>("acct", out var acct) ? acct : null;
            var facts = new TokenFacts(username, issuedAt, new DateTimeOffset(token.ValidTo, TimeSpan.Zero), account);
            var verdict = await access.CheckAsync(facts, context.HttpContext.RequestAborted);
            if (verdict.Refusal == AccessRefusal.Invalid)
            {
                context.Fail("Unknown user, revoked token, or a token of another account.");
                return;
            }

            if (verdict.Refusal == AccessRefusal.Inactive)
            {
                context.HttpContext.Items[InactiveKey] = true;
                context.Fail("Inactive user.");
                return;
            }

            // A role the token itself claims is no one's word: only the stored account makes an admin.
            foreach (var claimed in identity.FindAll(RoleClaim).ToList())
            {
                identity.RemoveClaim(claimed);
            }

            if (verdict.IsAdmin)
            {
                identity.AddClaim(new Claim(RoleClaim, AdminRole));
            }

            context.HttpContext.Features.Set(new CurrentUser(verdict.User!, facts, verdict.IsAdmin));
        }
        catch (StorageUnavailableException ex)
        {
            LogOutage(logger, context.Request.Method, context.Request.Path, ex.Message);
            context.HttpContext.Items[OutageKey] = ex;
            context.Fail(ex);
        }
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (Outage(http) is not null)
        {
            await ApiErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token of {Method} {Path} cannot be checked: storage unavailable: {Reason}")]
    private static partial void LogOutage(ILogger logger, string method, string path, string reason);
}
