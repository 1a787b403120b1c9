using System.Text.Json.Serialization;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Chat;

internal readonly record struct ChatFrame(string Type, long Id, string User, string Message, bool Toxic, double Score, DateTimeOffset Ts, bool Blocked);

internal readonly record struct GiftFrame(string Type, long Id, string From, int GiftId, int Amount, DateTimeOffset Ts);

internal readonly record struct ErrorFrame(string Error, string Detail);

internal readonly record struct MutedFrame(string Type, string Message, DateTimeOffset MutedUntil);

internal readonly record struct SkippedFrame(string Type, string Message, long Since, int ReplayLimit);

/// <summary>The frames in snake_case, floats and times as the legacy server wrote them (legacy clients parse them).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(PythonFloatConverter), typeof(WireTimeConverter)])]
[JsonSerializable(typeof(ChatFrame))]
[JsonSerializable(typeof(GiftFrame))]
[JsonSerializable(typeof(ErrorFrame))]
[JsonSerializable(typeof(MutedFrame))]
[JsonSerializable(typeof(SkippedFrame))]
internal sealed partial class FramesJsonContext : JsonSerializerContext;
