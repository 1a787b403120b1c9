using System.Reflection;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>The caller of an authenticated request, as storage knew it when the token was checked.</summary>
/// <param name="Account">The stored account.</param>
/// <param name="IssuedAt">The token's <c>iat</c>, or null for a legacy token without one.</param>
/// <param name="IsAdmin">The stored flag or <c>Admin:Usernames</c>.</param>
public sealed record CurrentUser(User Account, DateTimeOffset? IssuedAt, bool IsAdmin)
{
    public string Username => Account.Username;

    /// <summary>Minimal API binding: an endpoint that asks for a <see cref="CurrentUser"/> gets the authenticated caller.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Features.Get<CurrentUser>());
    }
}
