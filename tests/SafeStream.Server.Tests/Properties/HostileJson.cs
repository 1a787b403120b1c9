using System.Globalization;
using System.Text;
using CsCheck;

namespace SafeStream.Server.Tests.Properties;

/// <summary>
/// Generators of hostile request bodies and frames: near-valid JSON objects with the fields an endpoint reads, unknown
/// and duplicate fields, wrong types, huge strings, lone surrogates, NUL and control characters, deep nesting, and
/// bytes that are not JSON or not UTF-8. CsCheck shrinks a failure towards the smallest of these.
/// </summary>
public static class HostileJson
{
    /// <summary>Any UTF-16 text: printable, control, NUL, lone surrogates, unassigned, and now and then huge.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.String[Gen.Char["abcXYZ019 ._-@"], 0, 12]),
        (3, Gen.String[Gen.Char['\0', '\uffff'], 0, 40]),
        (2, Gen.String[Gen.Char["\0\u001b\n\t\ud800\udc00\ud83d\u202e\u0378\ufeff\uffff\"\\"], 0, 12]),
        (1, Gen.Int[1000, 12_000].Select(n => new string('\u0378', n))),
        (1, Gen.Int[1000, 12_000].Select(n => new string('x', n))));

    /// <summary>Any JSON scalar, as JSON text.</summary>
    public static readonly Gen<string> Scalar = Gen.Frequency(
        (4, Text.Select(Quote)),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")),
        (1, Gen.OneOf(Gen.Const("true"), Gen.Const("false"), Gen.Const("null"), Gen.Const("-0"), Gen.Const("1e400"), Gen.Const("2147483648"))));

    /// <summary>Nesting far past any depth limit.</summary>
    public static readonly Gen<string> Deep = Gen.Int[1, 300].SelectMany(depth => Gen.OneOf(
        Gen.Const(new string('[', depth) + new string(']', depth)),
        Gen.Const(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))));

    /// <summary>Bytes that are not JSON, or not UTF-8 (a raw surrogate, a cut sequence, overlong forms).</summary>
    public static readonly Gen<byte[]> Garbage = Gen.Frequency(
        (2, Gen.Byte.Array[0, 64]),
        (1, Gen.OneOf<byte[]>(
            Gen.Const(new byte[] { 0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d }),
            Gen.Const(new byte[] { 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d }),
            Gen.Const(new byte[] { 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d }),
            Gen.Const(new byte[] { 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82 }))));

    /// <summary>Any JSON value, objects and arrays nested a little.</summary>
    public static Gen<string> Value(int depth) => depth == 0 ? Scalar : Gen.Frequency(
        (5, Scalar),
        (1, Value(depth - 1).Array[0, 4].Select(items => $"[{string.Join(',', items)}]")),
        (1, Gen.Select(Text, Value(depth - 1)).Array[0, 4].Select(Object)));

    /// <summary>
    /// A body for an endpoint that reads <paramref name="fields"/>, each given a plausible value now and then: near-valid
    /// objects (some fields left out, repeated, mistyped, joined by unknown ones), other JSON, deep nesting, garbage.
    /// </summary>
    public static Gen<byte[]> Body(params (string Name, Gen<string> Plausible)[] fields)
    {
        var field = Gen.OneOf(fields.Select(f => Gen.Select(Gen.Const(f.Name), Gen.Frequency((3, f.Plausible), (2, Value(1))))).ToArray());
        var unknown = Gen.Select(Text, Value(1));
        var nearValid = Gen.Frequency((4, field), (1, unknown)).Array[0, 6].Select(Object);
        var json = Gen.Frequency(
            (8, nearValid),
            (1, Value(2)),
            (1, Deep),
            (1, nearValid.Select(text => text[..(text.Length / 2)]))); // cut short
        return Gen.Frequency((9, json.Select(Encoding.UTF8.GetBytes)), (1, Garbage));
    }

    /// <summary>A JSON string that escapes what JSON must and every surrogate, so a lone one stays lone (<c>\ud800</c>).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is < ' ' or '"' or '\\' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }

    private static string Object((string Name, string Value)[] members) =>
        "{" + string.Join(',', members.Select(m => $"{Quote(m.Name)}:{m.Value}")) + "}";
}
