using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Gifts;

internal static class GiftApi
{
    public static IServiceCollection AddGifts(this IServiceCollection services) => services.AddSingleton<GiftLimiter>();

    public static RouteGroupBuilder MapGifts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Gifts").RequireAuthorization();
        group.MapPost("/gift", SendAsync).Accepts<GiftRequest>("application/json");
        return group;
    }

    /// <summary>Stores the gift, then broadcasts it; gifts are sent as the caller (an admin may name anyone), unless the caller is muted.</summary>
    private static async Task<Results<Ok<StatusResponse>, JsonHttpResult<ErrorDetail>>> SendAsync(
        HttpContext context,
        CurrentUser caller,
        IStorage storage,
        EventIdGenerator ids,
        ChatHub hub,
        GiftLimiter limiter,
        IOptions<LimitsOptions> limits,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, cancellationToken);
        if (body is not { } json || !GiftRequest.TryRead(json, limits.Value, out var gift, out error))
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, $"Invalid gift data: {error}");
        }

        if (gift.From != caller.Username && !caller.IsAdmin)
        {
            return ApiErrors.Result(StatusCodes.Status403Forbidden, "Gifts can only be sent as yourself");
        }

        // A mute silences the user's gifts as well as their chat: both are broadcast to every viewer.
        if (caller.Account.MutedUntil is { } until && until > time.GetUtcNow())
        {
            return ApiErrors.Result(StatusCodes.Status403Forbidden, $"You are muted until {WireFormat.FormatTime(until)}");
        }

        // Counted against the caller: an admin sending in another's name spends their own bucket.
        if (!limiter.TryTake(caller.Username))
        {
            var rate = limits.Value.GiftsPerSecond;
            return AuthRateLimits.TooMany(context, "gift", TimeSpan.FromSeconds(1 / rate), $"Rate limit exceeded: at most {rate} gifts per second (bursts of {limits.Value.GiftBurst})");
        }

        var stored = new Gift(ids.Next(), gift.From, gift.GiftId, gift.Amount, time.GetUtcNow());
        await storage.AppendAsync([stored], cancellationToken);
        hub.Broadcast(Frames.Gift(stored), 0);
        return TypedResults.Ok(new StatusResponse("queued"));
    }
}
