using System.Text.Json.Serialization;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Every key any legacy writer or reader used, all optional: the parser decides what a line means.
/// Unknown keys are ignored, as the legacy readers did.
/// </summary>
internal sealed class LegacyLineDto
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("id")]
    public long? Id { get; set; }

    [JsonPropertyName("user")]
    public string? User { get; set; }

    [JsonPropertyName("from")]
    public string? From { get; set; }

    [JsonPropertyName("from_user")]
    public string? FromUser { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("msg")]
    public string? Msg { get; set; }

    [JsonPropertyName("toxic")]
    public bool? Toxic { get; set; }

    [JsonPropertyName("score")]
    public double? Score { get; set; }

    [JsonPropertyName("blocked")]
    public bool? Blocked { get; set; }

    [JsonPropertyName("ts")]
    public string? Ts { get; set; }

    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; set; }

    [JsonPropertyName("gift_id")]
    public int? GiftId { get; set; }

    [JsonPropertyName("amount")]
    public int? Amount { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("admin_user")]
    public string? AdminUser { get; set; }

    [JsonPropertyName("target_user")]
    public string? TargetUser { get; set; }

    [JsonPropertyName("details")]
    public string? Details { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LegacyLineDto))]
internal sealed partial class LegacyJsonContext : JsonSerializerContext;
