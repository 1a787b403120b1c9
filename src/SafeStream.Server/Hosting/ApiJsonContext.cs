using System.Text.Json.Serialization;
using SafeStream.Server.Admin;
using SafeStream.Server.Auth;
using SafeStream.Server.Gifts;
using SafeStream.Server.Health;
using SafeStream.Server.Stats;
using SafeStream.Server.Threshold;

namespace SafeStream.Server.Hosting;

/// <summary>Every HTTP body, snake_case as the legacy service spoke it, floats and times in the legacy forms.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    Converters = [typeof(PythonFloatConverter), typeof(WireTimeConverter)])]
[JsonSerializable(typeof(ErrorDetail))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginForm))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(GiftRequest))]
[JsonSerializable(typeof(UsernameRequest))]
[JsonSerializable(typeof(MuteRequest))]
[JsonSerializable(typeof(AdminResponse))]
[JsonSerializable(typeof(MuteResponse))]
[JsonSerializable(typeof(ThresholdBody))]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(RecentResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary><c>{"status": "..."}</c>.</summary>
internal sealed record StatusResponse(string Status);
