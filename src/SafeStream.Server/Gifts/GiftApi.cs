using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Gifts;

/// <summary><c>from</c> (alias <c>from_user</c>), <c>gift_id</c> ≥ 0, <c>amount</c> ≥ 1, optional <c>type</c> = "gift".</summary>
public sealed record GiftRequest(string From, int GiftId, int Amount, string? Type);

public static class GiftApi
{
    public static IServiceCollection AddGifts(this IServiceCollection services) => services.AddSingleton<GiftLimiter>();

    public static RouteGroupBuilder MapGifts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Gifts").RequireAuthorization();
        group.MapPost("/gift", SendAsync).Accepts<GiftRequest>("application/json");
        return group;
    }

    /// <summary>Stores the gift, then broadcasts it; gifts are sent as the caller (an admin may name anyone).</summary>
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
        if (body is not { } json || !TryRead(json, limits.Value, out var gift, out error))
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, $"Invalid gift data: {error}");
        }

        if (gift.From != caller.Username && !caller.IsAdmin)
        {
            return ApiErrors.Result(StatusCodes.Status403Forbidden, "Gifts can only be sent as yourself");
        }

        // Counted against the caller: an admin sending in another's name spends their own bucket.
        if (!limiter.TryTake(caller.Username))
        {
            var rate = limits.Value.GiftsPerSecond;
            return AuthRateLimits.TooMany(context, "gift", TimeSpan.FromSeconds(1 / rate), $"Rate limit exceeded: at most {rate} gifts per second (bursts of {limits.Value.GiftBurst})");
        }

        var stored = new Gift(ids.Next(), gift.From, gift.GiftId, gift.Amount, time.GetUtcNow());
        await storage.AppendAsync([stored], cancellationToken);
        hub.Broadcast(Frames.Gift(stored));
        return TypedResults.Ok(new StatusResponse("queued"));
    }

    private static bool TryRead(JsonElement json, LimitsOptions limits, out GiftRequest gift, out string? error)
    {
        gift = null!;
        if (!JsonBody.TryGetString(json, "from", out var from, out error) || (from is null && !JsonBody.TryGetString(json, "from_user", out from, out error)))
        {
            return false;
        }

        if (!JsonBody.TryGetString(json, "type", out var type, out error))
        {
            return false;
        }

        var hasGiftId = TryGetInt(json, "gift_id", out var giftId);
        var hasAmount = TryGetInt(json, "amount", out var amount);
        error = from is null ? "from is required"
            : !Usernames.IsValid(from, limits.MaxUsernameLength) ? "from is not a valid username"
            : !hasGiftId || giftId < 0 ? "gift_id must be an integer >= 0"
            : !hasAmount || amount < 1 || amount > limits.MaxGiftAmount ? $"amount must be an integer between 1 and {limits.MaxGiftAmount}"
            : type is not (null or "gift") ? "type must be \"gift\""
            : null;
        if (error is null)
        {
            gift = new GiftRequest(from!, giftId, amount, type);
        }

        return error is null;
    }

    private static bool TryGetInt(JsonElement json, string name, out int value)
    {
        value = 0;
        return json.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt32(out value);
    }
}
