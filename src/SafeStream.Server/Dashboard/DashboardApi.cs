using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Dashboard;

public sealed record MetricsResponse(int ViewerCount, long GiftCount, double ToxicPct);

/// <summary>One entry of <c>/api/recent</c>: a chat message (<c>type</c> "message") or a gift (<c>type</c> "gift").</summary>
public sealed record RecentItem(long Id, DateTimeOffset Ts, string User, string? Msg, bool Toxic, double Score, bool Blocked, int? Gift, int? Amount, string Type);

public sealed record RecentResponse(IReadOnlyList<RecentItem> RecentData);

public static class DashboardApi
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<DashboardCache>();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", MetricsAsync).WithTags("Dashboard").WithSummary("Viewers now; gifts and the toxic share since the last reset.");
        routes.MapGet("/api/recent", RecentAsync).WithTags("Dashboard")
            .WithSummary("Newest first: up to 100 messages and 50 gifts; blocked messages only for admins.");
        return routes;
    }

    private static async Task<Ok<MetricsResponse>> MetricsAsync(ChatHub hub, DashboardCache cache, CancellationToken cancellationToken)
    {
        var counts = await cache.CountsAsync(cancellationToken);
        var toxicPct = counts.Messages == 0 ? 0.0 : Math.Round(100.0 * counts.ToxicMessages / counts.Messages, 2);
        return TypedResults.Ok(new MetricsResponse(hub.ViewerCount, counts.Gifts, toxicPct));
    }

    private static async Task<Ok<RecentResponse>> RecentAsync(CurrentUser? caller, DashboardCache cache, CancellationToken cancellationToken)
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
