using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Auth;

/// <summary>A 403 says why in the legacy error shape; everything else is the default behaviour.</summary>
internal sealed class ForbiddenAsDetail : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden
            ? ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Admin privileges required")
            : _default.HandleAsync(next, context, policy, authorizeResult);
}
