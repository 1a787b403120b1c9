using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>Logins and registrations cost a bcrypt each: they are limited per address and per username, and capped in parallel.</summary>
public sealed class LoginThrottleTests : IAsyncLifetime
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
    public async Task LoginsFromOneAddressPastTheBurstAre429WithRetryAfterWhileAnotherAddressStillGetsIn()
    {
        var app = Start(new() { ["RateLimits:LoginsPerMinute"] = "1", ["RateLimits:LoginBurst"] = "3", ["RateLimits:FailuresBeforeBackoff"] = "0" });
        await app.RegisterAsync("alice");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await LoginAsync(app, "alice", "not-it", "203.0.113.7");
            answers.Add(wrong.StatusCode);
        }

        using var refused = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.7");
        using var elsewhere = await LoginAsync(app, "alice", SafeStreamApp.Password, "198.51.100.9");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many login attempts", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task RegistrationsPerAddressAreLimitedAndARefusedOneCreatesNoAccount()
    {
        var app = Start(new() { ["RateLimits:RegistrationsPerHour"] = "2" });

        var (first, _) = await app.PostAsync("/auth/register", null, new { username = "one", password = SafeStreamApp.Password });
        var (second, _) = await app.PostAsync("/auth/register", null, new { username = "two", password = SafeStreamApp.Password });
        var (third, body) = await app.PostAsync("/auth/register", null, new { username = "three", password = SafeStreamApp.Password });

        Assert.Equal((200, 200, 429), (first, second, third));
        Assert.StartsWith("Too many registrations", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Storage.FindUserAsync("three", Ct));
    }

    [Fact]
    public async Task AUsernameThatKeepsFailingFromOneAddressIsLockedThereWithAGrowingBackoffWhileTheOwnerSignsInFromAnother()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = Start(new() { ["RateLimits:FailuresBeforeBackoff"] = "2" }, time);
        await app.RegisterAsync("alice");

        using var first = await LoginAsync(app, "alice", "guess-1", "203.0.113.1");
        using var second = await LoginAsync(app, "alice", "guess-2", "203.0.113.1");
        using var third = await LoginAsync(app, "alice", "guess-3", "203.0.113.1"); // over the free failures: locks the pair for 1 s
        using var locked = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.1");
        using var owner = await LoginAsync(app, "alice", SafeStreamApp.Password, "198.51.100.4");
        time.Advance(TimeSpan.FromSeconds(1));
        using var fourth = await LoginAsync(app, "alice", "guess-4", "203.0.113.1"); // locks for 2 s
        time.Advance(TimeSpan.FromSeconds(1));
        using var stillLocked = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.1");
        time.Advance(TimeSpan.FromSeconds(1));
        using var afterwards = await LoginAsync(app, "alice", SafeStreamApp.Password, "203.0.113.1");
        using var otherName = await LoginAsync(app, "bob", "whatever", "203.0.113.1");

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.Unauthorized],
            new[] { first, second, third, locked, owner, fourth, stillLocked, afterwards, otherName }.Select(r => r.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(1), locked.Headers.RetryAfter?.Delta);
        Assert.Contains("this username from this address", await locked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BcryptWorkIsCappedSoAFloodOfLoginsIsTurnedAwayInsteadOfTakingEveryCore()
    {
        var app = Start(new() { ["Passwords:BcryptCost"] = "12", ["Passwords:MaxConcurrentHashes"] = "1", ["Passwords:HashQueueLimit"] = "1" });
        await app.RegisterAsync("alice");

        var flood = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await LoginAsync(app, "alice", "not-it", "203.0.113.7");
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        }));

        var busy = flood.Where(f => f.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(busy.Count >= 1, $"answers: {string.Join(", ", flood.Select(f => f.StatusCode))}");
        Assert.All(busy, b => Assert.Equal(TimeSpan.FromSeconds(1), b.Delta));
        Assert.All(flood, f => Assert.Contains(f.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable }));
    }

    [Fact]
    public async Task APasswordTooLongToCheckCostsAKnownUserAsMuchAsAnUnknownOne()
    {
        var app = Start(new() { ["Passwords:BcryptCost"] = "10", ["RateLimits:FailuresBeforeBackoff"] = "0" });
        await app.RegisterAsync("alice");
        var tooLong = new string('p', 100);
        await TimeLoginAsync(app, "nobody", tooLong); // the dummy hash is made on first use

        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            known.Add(await TimeLoginAsync(app, "alice", tooLong));
            unknown.Add(await TimeLoginAsync(app, "nobody", tooLong));
        }

        var (knownMedian, unknownMedian) = (known.Order().ElementAt(1), unknown.Order().ElementAt(1));
        Assert.True(knownMedian >= unknownMedian / 2, $"known user {knownMedian.TotalMilliseconds:N0} ms, unknown {unknownMedian.TotalMilliseconds:N0} ms");
    }

    private static async Task<TimeSpan> TimeLoginAsync(SafeStreamApp app, string username, string password)
    {
        var clock = Stopwatch.StartNew();
        using var response = await LoginAsync(app, username, password, "203.0.113.7");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return clock.Elapsed;
    }

    /// <summary>A login as if from <paramref name="address"/>: the test client is on loopback, a trusted proxy.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(SafeStreamApp app, string username, string password, string address, Action<HttpRequestMessage>? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = password }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        origin?.Invoke(request);
        return await app.Http.SendAsync(request, Ct);
    }

    private SafeStreamApp Start(Dictionary<string, string?> overrides, TimeProvider? time = null) =>
        _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, overrides, time);
}
