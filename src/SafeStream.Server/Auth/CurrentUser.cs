using System.Reflection;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>What a bearer token says, kept to check it again while a feed or a socket stays open.</summary>
/// <param name="Username">The <c>sub</c>.</param>
/// <param name="IssuedAt">The <c>iat</c>, or null for a legacy token without one.</param>
/// <param name="Expires">The <c>exp</c>.</param>
/// <param name="Account">The <c>acct</c> (the account's creation stamp), or null for a token minted before it existed.</param>
internal sealed record TokenFacts(string Username, DateTimeOffset? IssuedAt, DateTimeOffset Expires, long? Account);

/// <summary>The caller of an authenticated request, as storage knew it when the token was checked.</summary>
/// <param name="Account">The stored account.</param>
/// <param name="Token">The token it came with.</param>
/// <param name="IsAdmin">The stored flag, or <c>Admin:Usernames</c> under its rule (see <see cref="AdminNames"/>).</param>
internal sealed record CurrentUser(User Account, TokenFacts Token, bool IsAdmin)
{
    public string Username => Account.Username;

    /// <summary>The token's <c>iat</c>, or null for a legacy token without one.</summary>
    public DateTimeOffset? IssuedAt => Token.IssuedAt;

    /// <summary>Minimal API binding: an endpoint that asks for a <see cref="CurrentUser"/> gets the authenticated caller.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Features.Get<CurrentUser>());
    }
}
