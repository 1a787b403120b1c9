using System.Globalization;
using System.Text;
using CsCheck;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>A generated legacy log line (its bytes, no newline) and whether it is a well-formed record import must store.</summary>
public sealed record GeneratedLine(byte[] Bytes, bool MustStore)
{
    public override string ToString() => $"{(MustStore ? "valid" : "hostile")} {Encoding.UTF8.GetString(Bytes)}";
}

/// <summary>
/// Legacy chat-log lines as LEGACY.md describes them (chat compact with raw UTF-8; gifts and admin actions spaced with
/// <c>\u</c> escapes), and the same lines made hostile: wrong types, missing and duplicate fields, truncation, invalid
/// UTF-8, lone surrogates, control characters, huge strings, deep nesting, random bytes. Message texts never hold
/// U+0000: how a NUL is imported is another change's to decide.
/// </summary>
public static class HostileLegacy
{
    private const string NameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    public static readonly Gen<string> Name = Gen.String[Gen.Char[NameChars], 1, 50];

    /// <summary>Printable text, emoji, and the control characters the legacy service stored (escaped), but no NUL.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.String[Gen.Char[' ', '~'], 0, 80]),
        (2, Gen.String[Gen.Char['\u0001', '\u00ff'], 0, 40]),
        (2, Gen.String[Gen.Char["aé☕\t\n\r\u001b\u007f\u0085\u2028\u2029\"\\/<>&'"], 0, 40]),
        (1, Gen.Int[0, 20].Select(n => string.Concat(Enumerable.Repeat("😀a", n)))),
        (1, Gen.Const("😀").Select(s => string.Concat(Enumerable.Repeat(s, 700)))));

    public static readonly Gen<DateTime> Time = Gen.Long[new DateTime(2020, 1, 1).Ticks / 10, new DateTime(2030, 1, 1).Ticks / 10]
        .Select(micros => new DateTime(micros * 10, DateTimeKind.Utc));

    public static readonly Gen<string> Score = Gen.OneOf(
        Gen.Double[0, 1].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Int[1, 9].Select(i => $"{i}.{i}e-0{i}"),
        Gen.OneOf(Gen.Const("0.0"), Gen.Const("1"), Gen.Const("0"), Gen.Const("1.2e-06"), Gen.Const("9.99E-1")));

    public static readonly Gen<GeneratedLine> Valid = Gen.OneOf(
        Gen.Select(Name, Text, Gen.Bool, Score, Time, (user, text, toxic, score, ts) =>
            $"{{\"type\":\"chat\",\"user\":{Json(user, false)},\"message\":{Json(text, false)},\"toxic\":{(toxic ? "true" : "false")},\"score\":{score},\"ts\":\"{Ts(ts)}\"}}"),
        Gen.Select(Name, Gen.Int[0, 1000], Gen.Int[1, 1000], Time, (from, id, amount, ts) =>
            $"{{\"type\": \"gift\", \"from\": {Json(from, true)}, \"gift_id\": {id}, \"amount\": {amount}, \"ts\": \"{Ts(ts)}\"}}"),
        Gen.Select(Gen.OneOf(Gen.Const("kick"), Gen.Const("mute")), Name, Name, Time, (action, admin, target, ts) =>
            $"{{\"type\": \"admin_action\", \"action\": \"{action}\", \"admin_user\": {Json(admin, true)}, \"target_user\": {Json(target, true)}, \"ts\": \"{Ts(ts)}\"}}"),
        Gen.Select(Name, Time, (admin, ts) =>
            $"{{\"type\": \"admin_action\", \"action\": \"reset_metrics\", \"admin_user\": {Json(admin, true)}, \"ts\": \"{Ts(ts)}\"}}"))
        .Select(line => new GeneratedLine(Encoding.UTF8.GetBytes(line), true));

    /// <summary>Any JSON value, some of them wrong for any field.</summary>
    public static readonly Gen<string> AnyJson = Gen.OneOf(
        Gen.Const("null"), Gen.Const("true"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("-1"), Gen.Const("1e400"),
        Gen.Const("9007199254740993"), Gen.Const("-0.0"), Gen.Const("\"\""), Gen.Const("\"\\ud800\""), Gen.Const("\"\\udc00x\""),
        Gen.Const("\"2025-13-45T25:61:61Z\""), Gen.Const("\"2025-06-27 21:00:00\""), Gen.Const("NaN"), Gen.Const("\"\\u0000\""),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)), Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Text.Select(t => Json(t, true)), Gen.Int[1, 3000].Select(n => new string('[', n) + new string(']', n)),
        Gen.Int[1, 200_000].Select(n => Json(new string('x', n), false)));

    /// <summary>Records with some fields missing, wrong, duplicated or extra, in either byte style.</summary>
    public static readonly Gen<GeneratedLine> Misshapen = Gen.Select(
        Gen.OneOf(Gen.Const("chat"), Gen.Const("gift"), Gen.Const("admin_action"), Gen.Const("message"), Gen.Const("unknown")),
        Gen.Select(Gen.OneOf(Gen.Const("user"), Gen.Const("from"), Gen.Const("message"), Gen.Const("msg"), Gen.Const("toxic"), Gen.Const("score"),
            Gen.Const("ts"), Gen.Const("timestamp"), Gen.Const("gift_id"), Gen.Const("amount"), Gen.Const("action"), Gen.Const("admin_user"),
            Gen.Const("target_user"), Gen.Const("from_user"), Gen.Const("type"), Gen.Const("details"), Gen.Const("blocked"), Gen.Const("extra")),
            Gen.Frequency((3, AnyJson), (2, Name.Select(n => Json(n, true))), (1, Time.Select(t => $"\"{Ts(t)}\"")), (1, Gen.Int[-5, 5].Select(i => i.ToString(CultureInfo.InvariantCulture)))))
            .Array[0, 8],
        Gen.Bool,
        (type, fields, spaced) =>
        {
            var separator = spaced ? ", " : ",";
            var colon = spaced ? ": " : ":";
            var members = fields.Select(f => $"\"{f.Item1}\"{colon}{f.Item2}").Prepend($"\"type\"{colon}\"{type}\"");
            return new GeneratedLine(Encoding.UTF8.GetBytes("{" + string.Join(separator, members) + "}"), false);
        });

    /// <summary>Bytes that are not a record: random, cut, invalid UTF-8, a raw control character inside a string.</summary>
    public static readonly Gen<GeneratedLine> Broken = Gen.OneOf(
        Gen.Byte.Array[1, 200].Select(bytes => new GeneratedLine(bytes, false)),
        Gen.Select(Valid, Gen.Double[0, 1], (line, at) => new GeneratedLine(line.Bytes[..(int)(line.Bytes.Length * at)], false)),
        Gen.Select(Valid, Gen.Double[0, 1], Gen.OneOf(Gen.Const(new byte[] { 0xFF }), Gen.Const(new byte[] { 0xC3, 0x28 }), Gen.Const(new byte[] { 0xED, 0xA0, 0x80 }),
            Gen.Const(new byte[] { 0xC0, 0xAF }), Gen.Const(new byte[] { 0x01 }), Gen.Const(new byte[] { 0x09 }), Gen.Const(new byte[] { 0xE2, 0x80 })),
            (line, at, insert) =>
            {
                var position = (int)(line.Bytes.Length * at);
                return new GeneratedLine([.. line.Bytes[..position], .. insert, .. line.Bytes[position..]], false);
            }),
        AnyJson.Select(json => new GeneratedLine(Encoding.UTF8.GetBytes(json), false)));

    /// <summary>A log line: mostly valid, the rest hostile. Never blank (a blank line is no record) and never holding a newline.</summary>
    public static readonly Gen<GeneratedLine> Line = Gen.Frequency((4, Valid), (3, Misshapen), (3, Broken))
        .Select(line => line.Bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r')
            ? new GeneratedLine("x"u8.ToArray(), false)
            : line with { Bytes = [.. line.Bytes.Select(b => b == (byte)'\n' ? (byte)'#' : b)] });

    public static string Ts(DateTime time)
    {
        var text = time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var micros = time.Ticks / 10 % 1_000_000;
        return micros == 0 ? text + "Z" : $"{text}.{micros:D6}Z";
    }

    /// <summary>A JSON string as Python's json.dumps writes it (<paramref name="ascii"/>: ensure_ascii).</summary>
    public static string Json(string text, bool ascii)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                > '~' when ascii => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
