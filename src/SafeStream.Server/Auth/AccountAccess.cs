using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>Why a token no longer opens its account.</summary>
internal enum AccessRefusal
{
    None,

    /// <summary>No such account, a revoked token (a kick), or a token of an earlier owner of the name.</summary>
    Invalid,

    /// <summary>The account is disabled.</summary>
    Inactive,
}

/// <summary>What a token opens now: the account and whether it is an admin, or why it opens nothing.</summary>
internal sealed record AccessVerdict(User? User, AccessRefusal Refusal, bool IsAdmin);

/// <summary>
/// The checks beyond the signature, made when a request comes in and again while a dashboard feed or a chat socket
/// stays open: the account exists, the token is its own and not revoked, the account is active, and whether it is an
/// admin (the stored flag, or <c>Admin:Usernames</c> under <see cref="AdminNames"/>' rule). Throws
/// <see cref="StorageUnavailableException"/> when storage cannot say.
/// </summary>
internal sealed class AccountAccess(IStorage storage, AdminNames admins, TokenService tokens)
{
    public async Task<AccessVerdict> CheckAsync(TokenFacts token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var user = await storage.FindUserAsync(token.Username, cancellationToken);
        if (user is null || !tokens.IsFor(token, user))
        {
            return new AccessVerdict(null, AccessRefusal.Invalid, false);
        }

        // A disabled account is told so (legacy "Inactive user"), even though disabling also revoked its tokens.
        if (!user.IsActive)
        {
            return new AccessVerdict(user, AccessRefusal.Inactive, false);
        }

        if (TokenService.IsRevoked(token.IssuedAt, user.TokensValidAfter))
        {
            return new AccessVerdict(null, AccessRefusal.Invalid, false);
        }

        return new AccessVerdict(user, AccessRefusal.None, user.IsAdmin || await admins.GrantsAsync(user, cancellationToken));
    }
}
