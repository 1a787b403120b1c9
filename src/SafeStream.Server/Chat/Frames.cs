using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SafeStream.Server.Hosting;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

/// <summary>
/// The legacy protocol's server-to-client frames (chat, gift, error, muted: docs/API.md, "WebSocket"),
/// serialised once into bytes that every receiver shares. Raw UTF-8 and compact, as the legacy server's
/// <c>send_json</c> wrote them, because legacy clients read them.
/// </summary>
internal static class Frames
{
    public const string InvalidFormat = "Invalid message format";

    /// <summary>The <c>error</c> of the frame that answers anything an anonymous viewer sends.</summary>
    public const string ReadOnly = "Read-only connection";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    public static byte[] Chat(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Serialize(
            new ChatFrame("chat", message.Id, message.User, message.Text, message.Toxic, message.Score, message.Ts, message.Blocked),
            FramesJsonContext.Default.ChatFrame);
    }

    public static byte[] Gift(Gift gift)
    {
        ArgumentNullException.ThrowIfNull(gift);
        return Serialize(new GiftFrame("gift", gift.Id, gift.From, gift.GiftId, gift.Amount, gift.Ts), FramesJsonContext.Default.GiftFrame);
    }

    public static byte[] Error(string error, string detail) => Serialize(new ErrorFrame(error, detail), FramesJsonContext.Default.ErrorFrame);

    public static byte[] Invalid(string detail) => Error(InvalidFormat, detail);

    public static byte[] Muted(DateTimeOffset until) =>
        Serialize(new MutedFrame("muted", $"You are muted until {WireFormat.FormatTime(until)}", until), FramesJsonContext.Default.MutedFrame);

    /// <summary>
    /// Sent before a reconnect's backlog when it missed more than <paramref name="replayLimit"/> messages after
    /// <paramref name="since"/>: the backlog that follows holds only the newest of them.
    /// </summary>
    public static byte[] Skipped(long since, int replayLimit) => Serialize(
        new SkippedFrame(
            "skipped",
            $"More than {replayLimit} messages were sent after {since}: only the newest {replayLimit} follow, the others were skipped",
            since,
            replayLimit),
        FramesJsonContext.Default.SkippedFrame);

    private static byte[] Serialize<T>(T frame, JsonTypeInfo<T> typeInfo)
    {
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, frame, typeInfo);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
