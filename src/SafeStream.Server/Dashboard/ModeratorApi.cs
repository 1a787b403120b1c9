using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>
/// What the moderator dashboard reads, for admins only: totals, filtered messages, gifts and moderator actions,
/// per-minute series, and the live feed as server-sent events. Everything comes from <see cref="IStorage"/>.
/// </summary>
internal static class ModeratorApi
{
    private const int MaxUserFilter = 50;

    /// <summary>Registers the feed and the shared reads; the <c>Dashboard</c> section is validated at start.</summary>
    public static IServiceCollection AddModeratorDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModeratorReads>();
        services.AddSingleton<DashboardFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardFeed>());
        services.Configure<JsonOptions>(options => options.SerializerOptions.TypeInfoResolverChain.Add(DashboardJsonContext.Default));
        return services;
    }

    public static RouteGroupBuilder MapModeratorDashboard(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization(AuthServiceCollectionExtensions.AdminPolicy);
        group.MapGet("/summary", SummaryAsync).WithSummary("Totals since the last metrics reset, top gifters, viewers and the storage status.");
        group.MapGet("/messages", MessagesAsync).WithSummary("Chat messages newest first (blocked ones included): user substring, toxic only, since/until (ISO 8601), limit ≤ 200.");
        group.MapGet("/activity", ActivityAsync).WithSummary("The latest gifts and moderator actions, newest first.");
        group.MapGet("/series", (ModeratorReads reads, CancellationToken cancellationToken) => reads.SeriesAsync(cancellationToken))
            .WithSummary("Messages and toxic messages per minute over the last 30 minutes.");
        group.MapGet("/feed", Feed).WithSummary("Server-sent events: ready, chat, gift, admin, status, ping.");
        return group;
    }

    private static async Task<Ok<SummaryResponse>> SummaryAsync(ModeratorReads reads, DashboardFeed feed, CancellationToken cancellationToken)
    {
        var (counts, resetAt) = await reads.CountsAsync(cancellationToken);
        var toxicPct = counts.Messages == 0 ? 0.0 : Math.Round(100.0 * counts.ToxicMessages / counts.Messages, 2);
        return TypedResults.Ok(new SummaryResponse(
            counts.Messages, counts.ToxicMessages, toxicPct, counts.Gifts, counts.GiftAmount, counts.TopGifters, resetAt, feed.CurrentStatus()));
    }

    private static async Task<Results<Ok<MessagesResponse>, JsonHttpResult<ErrorDetail>>> MessagesAsync(
        IStorage storage, string? user, bool? toxic, string? since, string? until, int? limit, CancellationToken cancellationToken)
    {
        var sinceOk = TryParseTime(since, out var from);
        var untilOk = TryParseTime(until, out var to);
        var error = user is { Length: > MaxUserFilter } ? $"user must be at most {MaxUserFilter} characters"
            : limit is < 1 or > FeedCursor.MessageWindow ? $"limit must be between 1 and {FeedCursor.MessageWindow}"
            : !sinceOk ? "since must be an ISO 8601 time"
            : !untilOk ? "until must be an ISO 8601 time"
            : null;
        if (error is not null)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, error);
        }

        var query = new MessageQuery
        {
            Limit = limit ?? FeedCursor.MessageWindow,
            UserContains = string.IsNullOrWhiteSpace(user) ? null : user.Trim(),
            ToxicOnly = toxic ?? false,
            Since = from,
            Until = to,
        };
        var messages = await storage.RecentMessagesAsync(query, cancellationToken);
        return TypedResults.Ok(new MessagesResponse([.. messages.Select(FeedChat.Of)]));
    }

    private static async Task<Ok<ActivityResponse>> ActivityAsync(IStorage storage, CancellationToken cancellationToken)
    {
        var gifts = await storage.RecentGiftsAsync(FeedCursor.GiftWindow, cancellationToken);
        var actions = await storage.RecentAdminActionsAsync(FeedCursor.GiftWindow, cancellationToken);
        return TypedResults.Ok(new ActivityResponse([.. gifts.Select(FeedGift.Of)], [.. actions.Select(FeedAction.Of)]));
    }

    private static Results<ServerSentEventsResult<string>, JsonHttpResult<ErrorDetail>> Feed(DashboardFeed feed, CurrentUser caller, HttpContext context)
    {
        if (feed.TryListen(caller) is not { } listener)
        {
            return ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "Too many dashboards are following the live feed");
        }

        return TypedResults.ServerSentEvents(StreamAsync(feed, listener, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        DashboardFeed feed, FeedListener listener, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A dashboard that goes away ends the stream quietly instead of with a cancellation exception.
        using var left = cancellationToken.Register(() => feed.Leave(listener));
        try
        {
            await foreach (var item in listener.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return item;
            }
        }
        finally
        {
            feed.Leave(listener);
        }
    }

    /// <summary>An absent or blank time is fine (no bound); text that is no time is not.</summary>
    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = WireFormat.ParseTime(text);
        return value is not null || string.IsNullOrWhiteSpace(text);
    }
}
