using System.Text;
using CsCheck;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>A generated users.json and whether every account in it is well formed with a printable name (all must import).</summary>
public sealed record GeneratedUsers(byte[] Bytes, bool MustImportAll)
{
    public override string ToString() => $"{(MustImportAll ? "valid" : "hostile")} {Encoding.UTF8.GetString(Bytes)}";
}

/// <summary>
/// users.json documents as the legacy server wrote them (2-space indent, <c>\u</c> escapes) and made hostile: names with
/// control characters, lone surrogates, empty or huge names, case twins, duplicate keys, accounts of the wrong type or
/// without a hash, fields of the wrong type, a cut or corrupted file, top levels that are not an object.
/// </summary>
public static class HostileUsers
{
    private static readonly string[] Hashes =
    [
        "$2b$12$hMn/P/dGYR7KtHijQZOv2.DQksf8jA8mtvKdCxPJ1r4q9zz3GX6Rm",
        "$2b$12$lpRYgyJ4s7tfbHhXEF5tVua8mUJXoX8hw.DaJShuPvIcmxKZNKOUy",
    ];

    /// <summary>A key as JSON text, and whether it is a printable name.</summary>
    private static readonly Gen<(string Json, bool Printable)> Key = Gen.Frequency(
        (8, HostileLegacy.Name.Select(n => (HostileLegacy.Json(n, true), true))),
        (1, Gen.OneOf(Gen.Const("José"), Gen.Const("Alice"), Gen.Const("alice"), Gen.Const("ü😀"), Gen.Const(new string('a', 300))).Select(n => (HostileLegacy.Json(n, true), true))),
        (1, Gen.OneOf(Gen.Const("\"\""), Gen.Const("\"alice\\n\""), Gen.Const("\"a\\u001b[31mb\""), Gen.Const("\"a\\u2028\""), Gen.Const("\"\\u0000\""),
            Gen.Const("\"\\ud800\""), Gen.Const("\"x\\udfff\""), Gen.Const("\"\\t\"")).Select(k => (k, false))));

    private static readonly Gen<string> Email = Gen.OneOf(
        Gen.Const("\"email\": null, "), Gen.Const(""), Gen.Const("\"email\": \"alice@example.com\", "), Gen.Const("\"email\": 5, "),
        Gen.Const("\"email\": \"a\\u0007@example.com\", "), HostileLegacy.Name.Select(n => $"\"email\": \"{n}@example.com\", "));

    private static readonly Gen<string> Extra = Gen.OneOf(
        Gen.Const(""), Gen.Const(", \"favourite\": [1, {\"x\": null}]"), Gen.Const(", \"is_admin\": true"), Gen.Const(", \"disabled\": \"yes\""),
        HostileLegacy.Time.Select(t => $", \"muted_until\": \"{HostileLegacy.Ts(t)}\""), Gen.Const(", \"muted_until\": null"));

    /// <summary>An account value as JSON text, and whether it is well formed.</summary>
    private static readonly Gen<(string Json, bool Proper)> Account = Gen.Frequency(
        (8, Gen.Select(Email, Gen.OneOf(Gen.Const(""), Gen.Const("\"disabled\": true, "), Gen.Const("\"disabled\": false, ")), Gen.Int[0, 1], Extra,
            (email, disabled, hash, extra) => ($"{{\"username\": \"ignored\", {email}{disabled}\"hashed_password\": \"{Hashes[hash]}\"{extra}}}", true))),
        (1, Gen.OneOf(Gen.Const("null"), Gen.Const("\"alice\""), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("{\"hashed_password\": 12}"),
            Gen.Const($"{{\"hashed_password\": \"{Hashes[0]}\", \"muted_until\": \"yesterday\"}}")).Select(v => (v, false))));

    private static readonly Gen<GeneratedUsers> Structured = Gen.Select(Gen.Select(Key, Account).Array[0, 12], Gen.Bool, (entries, pretty) =>
    {
        var separator = pretty ? ",\n  " : ", ";
        var body = string.Join(separator, entries.Select(e => $"{e.Item1.Json}: {e.Item2.Json}"));
        var text = pretty ? $"{{\n  {body}\n}}" : $"{{{body}}}";
        return new GeneratedUsers(Encoding.UTF8.GetBytes(text), entries.All(e => e.Item1.Printable && e.Item2.Proper));
    });

    private static readonly Gen<GeneratedUsers> Broken = Gen.OneOf(
        Gen.Select(Structured, Gen.Double[0, 1], (doc, at) => new GeneratedUsers(doc.Bytes[..(int)(doc.Bytes.Length * at)], false)),
        Gen.Select(Structured, Gen.Double[0, 1], Gen.OneOf(Gen.Const(new byte[] { 0xFF }), Gen.Const(new byte[] { 0xED, 0xA0, 0x80 }), Gen.Const(new byte[] { 0x00 })),
            (doc, at, insert) =>
            {
                var position = (int)(doc.Bytes.Length * at);
                return new GeneratedUsers([.. doc.Bytes[..position], .. insert, .. doc.Bytes[position..]], false);
            }),
        HostileLegacy.AnyJson.Select(json => new GeneratedUsers(Encoding.UTF8.GetBytes(json), false)),
        Gen.Byte.Array[0, 100].Select(bytes => new GeneratedUsers(bytes, false)));

    public static readonly Gen<GeneratedUsers> Document = Gen.Frequency((3, Structured), (1, Broken));
}
