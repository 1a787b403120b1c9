using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SafeStream.Server.Hosting;
using SafeStream.Server.Telemetry;

namespace SafeStream.Server.Auth;

/// <summary>
/// ASP.NET Core's rate limiter on the two anonymous endpoints that cost a bcrypt: logins per client address (a token
/// bucket) and registrations per client address (an hourly window; this also bounds how many accounts one address can
/// use to get around the per-user chat limit). The per-username backoff is <see cref="LoginBackoff"/>. The client
/// address is the connection's, or the forwarded one behind a trusted proxy (see <see cref="ForwardedHeadersSetup"/>).
/// </summary>
public static class AuthRateLimits
{
    public const string LoginPolicy = "login_address";
    public const string RegisterPolicy = "register_address";

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoginBackoff>();
        services.AddRateLimiter(options =>
        {
            options.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "unknown";
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var what = policy == RegisterPolicy ? "registrations" : "login attempts";
                return new ValueTask(TooManyAsync(http, policy, retry, $"Too many {what} from this address; try again in {Seconds(retry)} s"));
            };
            options.AddPolicy(LoginPolicy, http => Limits(http).LoginsPerMinute == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Limits(http).LoginBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Limits(http).LoginsPerMinute,
                    QueueLimit = 0,
                }));
            options.AddPolicy(RegisterPolicy, http => Limits(http).RegistrationsPerHour == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Limits(http).RegistrationsPerHour,
                    Window = TimeSpan.FromHours(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    /// <summary>429 with <c>Retry-After</c> and the legacy error body; counted by <paramref name="limit"/>.</summary>
    public static JsonHttpResult<ErrorDetail> TooMany(HttpContext context, string limit, TimeSpan retryAfter, string detail)
    {
        Refused(context, limit, retryAfter);
        return ApiErrors.Result(StatusCodes.Status429TooManyRequests, detail);
    }

    public static Task TooManyAsync(HttpContext context, string limit, TimeSpan retryAfter, string detail)
    {
        Refused(context, limit, retryAfter);
        return ApiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, detail);
    }

    private static void Refused(HttpContext context, string limit, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestServices.GetRequiredService<ServerMetrics>().RateLimited(limit);
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
    }

    public static long Seconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalSeconds));

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitOptions Limits(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
}
