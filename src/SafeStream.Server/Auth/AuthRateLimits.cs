using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SafeStream.Server.Hosting;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;
using SafeStream.Storage.SignIn;

namespace SafeStream.Server.Auth;

/// <summary>
/// The limits on the two anonymous endpoints that cost a bcrypt: logins per client address (a token bucket) and
/// registrations per client address (an hourly window; this also bounds how many accounts one address can use to get
/// around the per-user chat limit), checked before the endpoint reads its body. The failed-login backoff is in
/// <see cref="SignInLimits"/>. The client address is the connection's, or the forwarded one behind a trusted proxy
/// (see <see cref="ForwardedHeadersSetup"/>), IPv6 by its /64. On PostgreSQL the counters are shared by every instance.
/// </summary>
internal static class AuthRateLimits
{
    public const string LoginPolicy = "login_address";
    public const string RegisterPolicy = "register_address";

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => SignInCounters.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RateLimitOptions>>().Value.MaxTrackedKeys,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SignInLimits>()));
        services.AddSingleton<SignInLimits>();
        return services;
    }

    /// <summary>Refuses the request 429 when its client address is over <paramref name="policy"/>'s limit.</summary>
    public static RouteHandlerBuilder RequireAddressLimit(this RouteHandlerBuilder builder, string policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limits = http.RequestServices.GetRequiredService<SignInLimits>();
            var address = ClientAddresses.Key(http);
            var retry = policy == RegisterPolicy
                ? await limits.RegistrationFromAsync(address, http.RequestAborted)
                : await limits.LoginFromAsync(address, http.RequestAborted);
            if (retry is not { } after)
            {
                return await next(context);
            }

            var what = policy == RegisterPolicy ? "registrations" : "login attempts";
            return TooMany(http, policy, after, $"Too many {what} from this address; try again in {Seconds(after)} s");
        });
    }

    /// <summary>429 with <c>Retry-After</c> and the legacy error body; counted by <paramref name="limit"/>.</summary>
    public static JsonHttpResult<ErrorDetail> TooMany(HttpContext context, string limit, TimeSpan retryAfter, string detail)
    {
        Refused(context, limit, retryAfter);
        return ApiErrors.Result(StatusCodes.Status429TooManyRequests, detail);
    }

    private static void Refused(HttpContext context, string limit, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestServices.GetRequiredService<ServerMetrics>().RateLimited(limit);
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
    }

    public static long Seconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalSeconds));
}
