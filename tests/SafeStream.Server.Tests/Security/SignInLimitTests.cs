using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Auth;
using SafeStream.Storage;
using SafeStream.Storage.SignIn;
using static SafeStream.Server.Tests.Security.LoginThrottleTests;

namespace SafeStream.Server.Tests.Security;

/// <summary>
/// A stranger's failures lock only the stranger's address; a guess spread over many addresses is slowed by the
/// per-username ceiling; hostile usernames are refused before they are counted; IPv6 clients are limited by /64.
/// </summary>
public sealed class SignInLimitTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task AStrangersFailuresNeverLockTheOwnerOutFromAnotherAddress()
    {
        var app = Start(new() { ["RateLimits:FailuresBeforeBackoff"] = "5" });
        await app.RegisterAsync("root");

        for (var i = 0; i < 20; i++)
        {
            using var _ = await LoginAsync(app, "root", $"guess-{i}", "203.0.113.66");
        }

        using var stranger = await LoginAsync(app, "root", SafeStreamApp.Password, "203.0.113.66");
        using var owner = await LoginAsync(app, "root", SafeStreamApp.Password, "198.51.100.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task PastTheUsernameCeilingEachFailingAddressMayTryOncePerBackoffWhileACleanAddressStillSignsIn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = Start(new() { ["RateLimits:FailuresBeforeBackoff"] = "5", ["RateLimits:UsernameFailureCeiling"] = "3", ["RateLimits:MaxBackoffSeconds"] = "60" }, time);
        await app.RegisterAsync("alice");
        var spread = new List<HttpStatusCode>();
        foreach (var address in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            using var guess = await LoginAsync(app, "alice", "guess", address);
            spread.Add(guess.StatusCode);
        }

        using var again = await LoginAsync(app, "alice", "guess-again", "203.0.113.1");
        using var fresh = await LoginAsync(app, "alice", "guess", "203.0.113.4");
        using var freshAgain = await LoginAsync(app, "alice", "guess-again", "203.0.113.4");
        using var owner = await LoginAsync(app, "alice", SafeStreamApp.Password, "198.51.100.9");
        time.Advance(TimeSpan.FromSeconds(60));
        using var later = await LoginAsync(app, "alice", "guess-later", "203.0.113.1");

        Assert.All(spread, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(
            [HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.Unauthorized],
            new[] { again, fresh, freshAgain, owner, later }.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task AHugeOrControlCharacterUsernameIsRefusedWithoutBeingLookedUpOrCounted()
    {
        var app = Start(new() { ["RateLimits:FailuresBeforeBackoff"] = "5" });
        var counters = (MemorySignInCounters)app.Services.GetRequiredService<ISignInCounters>();

        using var huge = await LoginAsync(app, new string('a', 512 * 1024), "whatever", "203.0.113.5");
        using var newline = await LoginAsync(app, "alice\n", "whatever", "203.0.113.5");
        using var nul = await LoginAsync(app, "al\0ce", "whatever", "203.0.113.5");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (huge.StatusCode, newline.StatusCode));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nul.StatusCode); // the form reader itself refuses a NUL
        Assert.StartsWith("{\"detail\":\"the login form cannot be read", await nul.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, counters.Count);
    }

    [Fact]
    public async Task TheFailedLoginCountersStayWithinTheirBoundWhateverNamesAreTried()
    {
        var app = Start(new() { ["RateLimits:FailuresBeforeBackoff"] = "5", ["RateLimits:MaxTrackedKeys"] = "100" });
        var counters = (MemorySignInCounters)app.Services.GetRequiredService<ISignInCounters>();

        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, _) =>
        {
            using var response = await LoginAsync(app, $"nobody-{i:D4}-{new string('x', 30)}", "whatever", $"203.0.{i / 250}.{i % 250}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });

        Assert.InRange(counters.Count, 1, 100);
        Assert.InRange(counters.ApproximateBytes, 1, counters.MaxBytes);
    }

    [Fact]
    public async Task AnIPv6ClientIsLimitedByItsSlash64()
    {
        var app = Start(new() { ["RateLimits:LoginsPerMinute"] = "1", ["RateLimits:LoginBurst"] = "2" });

        using var first = await LoginAsync(app, "alice", "x", "2001:db8:1:2::1");
        using var second = await LoginAsync(app, "alice", "x", "2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        using var sameNetwork = await LoginAsync(app, "alice", "x", "2001:db8:1:2::99");
        using var otherNetwork = await LoginAsync(app, "alice", "x", "2001:db8:1:3::1");

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized],
            new[] { first, second, sameNetwork, otherNetwork }.Select(r => r.StatusCode));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    public void AClientAddressIsKeyedAsIPv4OrByItsIPv6Slash64(string address, string key) =>
        Assert.Equal(key, ClientAddresses.Key(IPAddress.Parse(address)));

    [Fact]
    public async Task ALoginFormPostedFromAnotherSitesPageIsRefusedWhileTheSitesOwnPagesScriptsAndListedOriginsSignIn()
    {
        var app = Start(new() { ["Login:AllowedOrigins:0"] = "https://chat.example.com" });
        await app.RegisterAsync("alice");
        var own = app.BaseAddress.GetLeftPart(UriPartial.Authority);

        var answers = new List<HttpStatusCode>();
        foreach (var origin in new[] { "https://evil.example", "null", own, "https://chat.example.com", null })
        {
            using var response = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.8", r =>
            {
                if (origin is not null)
                {
                    r.Headers.Add("Origin", origin);
                }
            });
            answers.Add(response.StatusCode);
        }

        using var crossSiteWithoutOrigin = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.8", r => r.Headers.Add("Sec-Fetch-Site", "cross-site"));

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], answers);
        Assert.Equal(HttpStatusCode.Forbidden, crossSiteWithoutOrigin.StatusCode);
    }

    private SafeStreamApp Start(Dictionary<string, string?> overrides, TimeProvider? time = null) =>
        _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, overrides, time);
}
