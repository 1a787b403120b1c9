using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SafeStream.Server.Auth;

internal static class AuthServiceCollectionExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>
    /// Registers legacy-compatible bearer authentication (HS256, <c>sub</c>/<c>exp</c>), the admin policy, bcrypt and
    /// token minting. The <c>Jwt</c>, <c>Passwords</c>, <c>Admin</c>, <c>RateLimits</c> and <c>Login</c> sections are validated at start.
    /// </summary>
    public static IServiceCollection AddSafeStreamAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<JwtOptions>()
            .Bind(configuration.GetSection(JwtOptions.SectionName))
            .PostConfigure(o =>
            {
                if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(o.SecretKey))
                {
                    // Never the publicly known legacy secret unless asked for by name: anyone could mint an admin's token.
                    o.SecretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    o.RandomPerRun = true;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddOptions<PasswordOptions>().Bind(configuration.GetSection(PasswordOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddAuthRateLimits(configuration);
        services.AddLoginOrigins(configuration);
        services.AddSingleton<TokenService>();
        services.AddSingleton<AdminNames>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminNames>());
        services.AddSingleton<AccountAccess>();
        services.AddSingleton<AccountWatch>(); // open feeds and sockets re-checked against their accounts
        services.AddHostedService(sp => sp.GetRequiredService<AccountWatch>());
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<BearerEvents>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAsDetail>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, TimeProvider>((bearer, jwt, time) =>
            {
                bearer.MapInboundClaims = false;
                bearer.EventsType = typeof(BearerEvents);
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    IssuerSigningKey = TokenService.SigningKey(jwt.Value),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = false,
                    ValidateAudience = false,
                    RequireExpirationTime = true,
                    NameClaimType = "sub",
                    RoleClaimType = BearerEvents.RoleClaim, // removed from what the token says; set from the stored account

                    // The legacy service allowed no clock skew; the injected clock keeps expiry testable.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                        time.GetUtcNow().UtcDateTime is var now && expires > now && (notBefore is null || notBefore <= now),
                };
            });
        services.AddAuthorizationBuilder()
            // From the stored account only (CurrentUser, set by BearerEvents), never from a claim the token carries.
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.Resource is HttpContext http && http.Features.Get<CurrentUser>() is { IsAdmin: true }));
        return services;
    }
}
