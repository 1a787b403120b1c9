using System.Net.Http.Headers;
using CsCheck;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Properties;

/// <summary>
/// Hostile JSON bodies for every endpoint that reads one, a few thousand cases on one server: each is answered with a
/// client error or success, never a 5xx, no error-level line is logged, and a well-behaved user keeps being served.
/// (The login form is a form, not JSON: its property belongs with the sign-in work.)
/// </summary>
public sealed class JsonBodyProperties : IAsyncDisposable
{
    private static readonly Gen<string> Name = Gen.Frequency(
        (3, Gen.OneOf(Gen.Const("\"target\""), Gen.Const("\"nobody\""), Gen.Const("\"giver\""))),
        (2, Gen.String[Gen.Char["abcdefxyz019._-"], 1, 60].Select(HostileJson.Quote)),
        (1, HostileJson.Text.Select(HostileJson.Quote)));

    private static readonly Gen<string> Number = Gen.Frequency(
        (3, Gen.Int[-2, 2000].Select(i => $"{i}")),
        (1, Gen.OneOf(Gen.Const("0.5"), Gen.Const("1e308"), Gen.Const("-1e-320"), Gen.Const("2147483648"), Gen.Const("1.0"), Gen.Const("NaN"))));

    /// <summary>Each endpoint's path, whose token it is called with, and its body's fields with plausible values.</summary>
    private static readonly (HttpMethod Method, string Path, bool Admin, Gen<byte[]> Body)[] Endpoints =
    [
        (HttpMethod.Post, "/auth/register", false, HostileJson.Body(("username", Name), ("password", Name), ("email", Name))),
        (HttpMethod.Post, "/api/gift", false, HostileJson.Body(("from", Name), ("from_user", Name), ("gift_id", Number), ("amount", Number), ("type", Gen.Const("\"gift\"")))),
        (HttpMethod.Post, "/api/gift", true, HostileJson.Body(("from", Name), ("gift_id", Number), ("amount", Number))),
        (HttpMethod.Post, "/api/admin/kick", true, HostileJson.Body(("username", Name))),
        (HttpMethod.Post, "/api/admin/mute", true, HostileJson.Body(("username", Name), ("minutes", Number))),
        (HttpMethod.Post, "/api/admin/unmute", true, HostileJson.Body(("username", Name))),
        (HttpMethod.Post, "/api/admin/reset_metrics", true, HostileJson.Body(("username", Name))),
        (HttpMethod.Patch, "/api/mod/threshold", true, HostileJson.Body(("threshold", Number))),
    ];

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf(Gen.Const((string?)null), Gen.Const<string?>("text/plain"), Gen.Const<string?>("application/json; charset=utf-16"))));

    private static readonly Gen<(int Endpoint, byte[] Body, string? ContentType)> Case =
        Gen.Int[0, Endpoints.Length - 1].SelectMany(i => Gen.Select(Gen.Const(i), Endpoints[i].Body, ContentType));

    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task NoJsonBodyIsAnsweredWithA5xxOrLogsAnErrorAndOthersAreStillServed()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);
        var root = await app.RegisterAdminAsync();
        var giver = await app.RegisterAsync("giver");
        var other = await app.RegisterAsync("other");
        await app.RegisterAsync("target");
        var cases = 0;

        await Case.SampleAsync(
            async c =>
            {
                var (method, path, admin, _) = Endpoints[c.Endpoint];
                using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(c.Body) };
                request.Content.Headers.ContentType = c.ContentType is null ? null : MediaTypeHeaderValue.Parse(c.ContentType);
                request.Headers.Authorization = path.StartsWith("/auth/", StringComparison.Ordinal) ? null : new AuthenticationHeaderValue("Bearer", admin ? root : giver);

                using var response = await app.Http.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);

                Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}: {body}");
                Assert.Empty(app.Errors.Lines);
                if (++cases % 10 == 0)
                {
                    await app.GiftAsync("other", other, 1, 1); // a well-behaved user is still served (and stored)
                }
            },
            iter: 2000,
            threads: 1);

        Assert.Equal(200, (await app.GetAsync("/healthz")).Status);
        Assert.Equal(200, (await app.PostAsync("/api/gift", other, new { from = "other", gift_id = 2, amount = 1 })).Status);
    }
}
