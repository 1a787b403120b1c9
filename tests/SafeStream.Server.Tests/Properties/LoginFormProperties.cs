using System.Net;
using System.Text;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Storage;
using SafeStream.Storage.SignIn;

namespace SafeStream.Server.Tests.Properties;

/// <summary>
/// The login form under generated hostile input (huge, control characters, NUL, invalid UTF-8 and encoded lone
/// surrogates in the form encoding, near-valid names, the real user's name with wrong passwords): never a 5xx, never an
/// error-level log line, the failed-login counters stay within their bound, and the real user still signs in.
/// </summary>
public sealed class LoginFormProperties : IAsyncLifetime
{
    private const int MaxTrackedKeys = 100;
    private static readonly string[] Names = ["alice", "alice\n", "al\0ice", "ALICE", " alice", "alice ", "José", "", "root"];
    private static readonly string[] Addresses = ["203.0.113.1", "203.0.113.2", "2001:db8::1", "2001:db8::2", "198.51.100.3"];

    private readonly TempFolder _dir = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task HostileUsernamesAndPasswordsNeverBreakTheServiceAndTheRealUserStillSignsIn()
    {
        var log = _dir["logs/server-.jsonl"];
        var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?>
        {
            ["RateLimits:FailuresBeforeBackoff"] = "5",
            ["RateLimits:UsernameFailureCeiling"] = "20",
            ["RateLimits:MaxTrackedKeys"] = MaxTrackedKeys.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:WriteTo:File:Name"] = "File",
            ["Serilog:WriteTo:File:Args:path"] = log,
            ["Serilog:WriteTo:File:Args:formatter"] = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact",
        });
        var counters = (MemorySignInCounters)app.Services.GetRequiredService<ISignInCounters>();
        await app.RegisterAsync("alice");
        var cases = 0;
        var peak = (Count: 0, Bytes: 0L);

        try
        {
            await Gen.Select(Field, Field, Gen.Int[0, Addresses.Length - 1], Gen.Bool).SampleAsync(
                async (username, password, address, grant) =>
                {
                    using var response = await PostAsync(app, username, password, Addresses[address], grant);
                    Interlocked.Increment(ref cases);
                    lock (counters)
                    {
                        peak = (Math.Max(peak.Count, counters.Count), Math.Max(peak.Bytes, counters.ApproximateBytes));
                    }

                    return (int)response.StatusCode is >= 200 and < 500;
                },
                iter: 2_000,
                threads: 4);

            using var owner = await PostAsync(app, Encoding.UTF8.GetBytes("alice"), Encoding.UTF8.GetBytes(SafeStreamApp.Password), "192.0.2.200", grant: false);
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        }
        finally
        {
            await app.DisposeAsync(); // flushes the log
        }

        Assert.Equal(2_000, cases);
        Assert.InRange(peak.Count, 1, MaxTrackedKeys);
        Assert.InRange(peak.Bytes, 1, counters.MaxBytes);
        var errors = Directory.GetFiles(_dir["logs"]).SelectMany(File.ReadLines)
            .Where(l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(3)));
    }

    private static Gen<string> Text { get; } = Gen.Frequency(
        (3, Gen.String),
        (2, Gen.Char.AlphaNumeric.Array[1, 60].Select(c => new string(c))),
        (2, Gen.Int[0, Names.Length - 1].Select(i => Names[i])),
        (2, Gen.Char['\0', '\u001f'].Array[1, 40].Select(c => new string(c))),
        (1, Gen.Char['\uD800', '\uDFFF'].Array[1, 8].Select(c => "a" + new string(c))),
        (1, Gen.Int[10_000, 120_000].Select(n => new string('a', n))));

    /// <summary>A form field as bytes before percent-encoding: hostile text as UTF-8, or raw bytes that are not UTF-8 at all.</summary>
    private static Gen<byte[]> Field { get; } = Gen.Frequency(
        (4, Text.Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 64]),
        (1, Gen.Const(new byte[] { 0xED, 0xA0, 0x80 })), // a lone surrogate (U+D800) written as UTF-8, which UTF-8 forbids
        (1, Gen.Const(new byte[] { 0xC0, 0x80, 0xFF, 0xFE })));

    private static async Task<HttpResponseMessage> PostAsync(SafeStreamApp app, byte[] username, byte[] password, string address, bool grant)
    {
        var body = $"username={Percent(username)}&password={Percent(password)}{(grant ? "&grant_type=password" : "")}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body)) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("X-Forwarded-For", address);
        return await app.Http.SendAsync(request, Ct);
    }

    private static string Percent(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            text.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' ? ((char)b).ToString() : $"%{b:X2}");
        }

        return text.ToString();
    }
}
