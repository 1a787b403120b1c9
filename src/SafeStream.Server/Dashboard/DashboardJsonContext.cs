using System.Text.Json.Serialization;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Dashboard;

/// <summary>The dashboard's bodies and feed events, in the same snake_case, floats and times as every other body.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    Converters = [typeof(PythonFloatConverter), typeof(WireTimeConverter)])]
[JsonSerializable(typeof(FeedChat))]
[JsonSerializable(typeof(FeedGift))]
[JsonSerializable(typeof(FeedAction))]
[JsonSerializable(typeof(FeedStatus))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(ActivityResponse))]
[JsonSerializable(typeof(SummaryResponse))]
[JsonSerializable(typeof(SeriesResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
