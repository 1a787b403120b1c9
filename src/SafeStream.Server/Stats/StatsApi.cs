using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Server.Cluster;

namespace SafeStream.Server.Stats;

/// <summary>
/// The two public reads every chat page polls: <c>/metrics</c> (viewers, gifts, the toxic share) and
/// <c>/api/recent</c> (the newest messages and gifts). The moderator dashboard has its own, for admins.
/// </summary>
internal static class StatsApi
{
    public static IServiceCollection AddStats(this IServiceCollection services) => services.AddSingleton<StatsCache>();

    public static IEndpointRouteBuilder MapMetricsAndRecent(this IEndpointRouteBuilder routes)
    {
        // Under the "Dashboard" tag, as /openapi.json has always listed them.
        routes.MapGet("/metrics", MetricsAsync).WithTags("Dashboard").WithSummary("Viewers now; gifts and the toxic share since the last reset.");
        routes.MapGet("/api/recent", RecentAsync).WithTags("Dashboard")
            .WithSummary("Newest first: up to 100 messages and 50 gifts; blocked messages only for admins.");
        return routes;
    }

    private static async Task<Ok<MetricsResponse>> MetricsAsync(ClusterPresence presence, StatsCache cache, CancellationToken cancellationToken)
    {
        var counts = await cache.CountsAsync(cancellationToken);
        var toxicPct = counts.Messages == 0 ? 0.0 : Math.Round(100.0 * counts.ToxicMessages / counts.Messages, 2);
        return TypedResults.Ok(new MetricsResponse(presence.AllViewers, counts.Gifts, toxicPct));
    }

    private static async Task<Ok<RecentResponse>> RecentAsync(CurrentUser? caller, StatsCache cache, CancellationToken cancellationToken)
    {
        var (messages, gifts) = await cache.RecentAsync(cancellationToken);

        // A blocked message was shown to its sender alone: the public feed must not publish it (the legacy one did).
        var admin = caller?.IsAdmin == true;
        var items = messages
            .Where(m => admin || !m.Blocked)
            .Select(m => new RecentItem(m.Id, m.Ts, m.User, m.Text, m.Toxic, m.Score, m.Blocked, null, null, "message"))
            .Concat(gifts.Select(g => new RecentItem(g.Id, g.Ts, g.From, null, false, 0.0, false, g.GiftId, g.Amount, "gift")))
            .OrderByDescending(i => i.Ts)
            .ThenByDescending(i => i.Id)
            .ToList();
        return TypedResults.Ok(new RecentResponse(items));
    }
}
