using System.Net;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>On PostgreSQL the sign-in limits live in the database: two server processes give a guesser one budget, not two.</summary>
public sealed class SignInAcrossInstancesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempFolder _first = new();
    private readonly TempFolder _second = new();

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _first.Dispose();
        _second.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AddressBudgetsUsernameFailuresAndRegistrationsAreSharedByTwoServerProcesses()
    {
        await using var a = await ServerProcess.StartAsync(_first, Settings(_first));
        await using var b = await ServerProcess.StartAsync(_second, Settings(_second));
        await a.RegisterAsync("alice");

        // One address, a burst of 3 logins across both instances.
        var budget = new List<HttpStatusCode>();
        foreach (var (server, i) in new[] { a, b, a, b }.Select((s, i) => (s, i)))
        {
            budget.Add(await LoginAsync(server, $"name-{i}", "wrong", "203.0.113.7"));
        }

        // The name's ceiling (2 failures from anywhere) counted on both: an address that failed may not try again.
        var spread = new[] { await LoginAsync(a, "alice", "wrong", "198.51.100.1"), await LoginAsync(b, "alice", "wrong", "198.51.100.2") };
        var again = await LoginAsync(b, "alice", "wrong", "198.51.100.1");
        var owner = await LoginAsync(b, "alice", SafeStreamApp.Password, "192.0.2.50");

        // One registration per hour per address, wherever it lands.
        var registrations = new[] { await RegisterAsync(a, "bob", "192.0.2.9"), await RegisterAsync(b, "carol", "192.0.2.9") };

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], budget);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], spread);
        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (again, owner));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], registrations);
    }

    private static async Task<HttpStatusCode> LoginAsync(ServerProcess server, string username, string password, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = password }),
        };
        request.Headers.Add("X-Forwarded-For", address); // the test client is on loopback, a trusted proxy
        using var response = await server.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> RegisterAsync(ServerProcess server, string username, string address)
    {
        using var request = SafeStreamApp.Request(HttpMethod.Post, "/auth/register", null, new { username, password = SafeStreamApp.Password });
        request.Headers.Add("X-Forwarded-For", address);
        using var response = await server.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private Dictionary<string, string?> Settings(TempFolder dir)
    {
        var settings = ServerProcess.Settings(dir, "DatabaseOnly");
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        settings["RateLimits:LoginsPerMinute"] = "1";
        settings["RateLimits:LoginBurst"] = "3";
        settings["RateLimits:FailuresBeforeBackoff"] = "0";
        settings["RateLimits:UsernameFailureCeiling"] = "2";
        settings["RateLimits:MaxBackoffSeconds"] = "600";
        settings["RateLimits:RegistrationsPerHour"] = "1";
        return settings;
    }
}
