using Microsoft.Extensions.Options;

namespace SafeStream.Server.Auth;

/// <summary>
/// Refuses a login form posted by another site's page (login CSRF: the victim's browser signs in to the attacker's
/// account, or a stranger's page spends the victim's address budget and locks the account from it). A browser names
/// the posting page's origin in <c>Origin</c>; it must be this server's own host or one of
/// <c>Login:AllowedOrigins</c>. A request without <c>Origin</c> comes from no page (curl, scripts) and passes, unless
/// the browser says <c>Sec-Fetch-Site: cross-site</c>.
/// </summary>
internal static class LoginOrigin
{
    public static bool IsAllowed(HttpRequest request, LoginOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return !string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase);
        }

        if (origins.Count > 1 || Parse(origins[0]) is not { } origin)
        {
            return false; // "null" (a sandboxed or privacy-hiding page) included
        }

        if (options.AllowedOrigins.Select(Parse).Any(allowed => allowed is not null && Uri.Compare(allowed, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0))
        {
            return true;
        }

        // The request's scheme may differ from the page's behind a proxy that ends TLS, so compare host and port only.
        var host = request.Host;
        return host.HasValue
            && string.Equals(host.Host.Trim('[', ']'), origin.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && (host.Port ?? origin.Port) == origin.Port;
    }

    /// <summary>An http(s) origin, or null when <paramref name="value"/> is not one.</summary>
    public static Uri? Parse(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery is "/" or "" && uri.UserInfo.Length == 0 ? uri : null;

    public static IServiceCollection AddLoginOrigins(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LoginOptions>().Bind(configuration.GetSection(LoginOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return IsAllowed(context.Request, context.RequestServices.GetRequiredService<IOptions<LoginOptions>>().Value);
    }
}
