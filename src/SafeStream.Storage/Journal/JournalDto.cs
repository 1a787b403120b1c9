using System.Text.Json.Serialization;

namespace SafeStream.Storage.Journal;

/// <summary>A journal line that is not an event: <c>user</c>, <c>user_patch</c> or <c>setting</c> (see <see cref="JournalLines"/>).</summary>
internal sealed class JournalDto
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("email")]
    public string? Email { get; set; }

    [JsonPropertyName("hashed_password")]
    public string? HashedPassword { get; set; }

    [JsonPropertyName("is_active")]
    public bool? IsActive { get; set; }

    [JsonPropertyName("is_admin")]
    public bool? IsAdmin { get; set; }

    [JsonPropertyName("muted_until")]
    public DateTimeOffset? MutedUntil { get; set; }

    [JsonPropertyName("tokens_valid_after")]
    public DateTimeOffset? TokensValidAfter { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    [JsonPropertyName("at")]
    public DateTimeOffset? At { get; set; }

    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalDto))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
