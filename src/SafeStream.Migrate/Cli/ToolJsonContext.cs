using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafeStream.Migrate.Import;
using SafeStream.Migrate.Status;
using SafeStream.Migrate.Verify;

namespace SafeStream.Migrate.Cli;

/// <summary>Every JSON the tool writes: rejects lines, and the <c>--json</c> reports that automation reads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(RejectEntry))]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(VerifyReport))]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class ToolJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Readable output: a raw line keeps its quotes and accents instead of <c>\u0022</c> escapes. Nothing the tool
    /// writes is embedded in HTML, which is what the default escaping guards against.
    /// </summary>
    public static ToolJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    });
}
