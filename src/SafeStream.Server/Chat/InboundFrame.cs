using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace SafeStream.Server.Chat;

/// <summary>
/// The one frame a client may send: <c>{"type":"chat","message":"…"}</c> (<c>type</c> optional). Anything else is
/// refused with a reason, and the caller answers with the legacy error frame.
/// </summary>
internal static class InboundFrame
{
    /// <summary>The most characters of a client's input an answer quotes (see <see cref="Quote"/>).</summary>
    public const int MaxQuoteChars = 32;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>The chat text, or null with <paramref name="error"/> saying what is wrong with the frame.</summary>
    public static string? Parse(ReadOnlySpan<byte> utf8, int maxChars, out string? error)
    {
        if (!Utf8.IsValid(utf8))
        {
            error = "the frame is not valid UTF-8";
            return null;
        }

        string? message;
        try
        {
            message = ReadObject(utf8, out error);
        }
        catch (JsonException)
        {
            error = "the frame is not valid JSON";
            return null;
        }
        catch (InvalidOperationException)
        {
            error = "message is not valid Unicode (lone surrogate)"; // an escaped half of a surrogate pair
            return null;
        }

        return message is null ? null : Check(message, maxChars, out error);
    }

    private static string? ReadObject(ReadOnlySpan<byte> utf8, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "expected a JSON object {\"type\":\"chat\",\"message\":\"...\"}";
            return null;
        }

        string? message = null;
        var sawType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8) && !sawType)
            {
                sawType = true;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("chat"u8))
                {
                    error = "type must be \"chat\"";
                    return null;
                }
            }
            else if (reader.ValueTextEquals("message"u8) && message is null)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    error = "message must be a string";
                    return null;
                }

                message = reader.GetString()!;
            }
            else
            {
                var name = reader.GetString()!;
                error = name is "type" or "message" ? $"field '{name}' appears twice" : $"unknown field '{Quote(name)}'";
                return null;
            }
        }

        if (reader.Read())
        {
            error = "unexpected content after the JSON object";
            return null;
        }

        error = message is null ? "message is required" : null;
        return message;
    }

    /// <summary>
    /// The start of what a client sent, to show it in an answer: at most <see cref="MaxQuoteChars"/> characters,
    /// control, format, private-use, unassigned and lone surrogate characters written as <c>\uXXXX</c>, and "…" when cut,
    /// so an answer stays small however long or strange the input.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(MaxQuoteChars + 1);
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            var piece = status == System.Buffers.OperationStatus.Done && !Hidden(rune)
                ? text.Substring(i, consumed)
                : string.Concat(text.AsSpan(i, consumed).ToArray().Select(c => $"\\u{(int)c:X4}"));
            if (quoted.Length + piece.Length > MaxQuoteChars)
            {
                return quoted.Append('…').ToString();
            }

            quoted.Append(piece);
            i += consumed;
        }

        return quoted.ToString();
    }

    private static bool Hidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string? Check(string message, int maxChars, out string? error)
    {
        var chars = 0;
        var blank = true;
        for (var i = 0; i < message.Length; chars++)
        {
            if (Rune.DecodeFromUtf16(message.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                error = "message is not valid Unicode (lone surrogate)";
                return null;
            }

            if (rune.Value == 0)
            {
                error = "message must not contain U+0000 (NUL)"; // PostgreSQL text cannot hold it, so no store can
                return null;
            }

            blank &= Rune.IsWhiteSpace(rune);
            i += consumed;
        }

        error = blank ? "message must not be empty" : chars > maxChars ? $"message is longer than {maxChars} characters" : null;
        return error is null ? message : null;
    }
}
