using System.Text.Json;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Gifts;

/// <summary><c>from</c> (alias <c>from_user</c>), <c>gift_id</c> ≥ 0, <c>amount</c> ≥ 1, optional <c>type</c> = "gift".</summary>
internal sealed record GiftRequest(string From, int GiftId, int Amount, string? Type)
{
    /// <summary>The gift <paramref name="json"/> asks for, or false with what is wrong with it.</summary>
    public static bool TryRead(JsonElement json, LimitsOptions limits, out GiftRequest gift, out string? error)
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
