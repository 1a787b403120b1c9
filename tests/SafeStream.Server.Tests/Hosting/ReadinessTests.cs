using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Hosting;

/// <summary><c>/readyz</c>: not ready only while DatabaseOnly cannot reach its database; <c>/healthz</c> stays 200.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SafeStreamApp? _app;

    private string DatabasePath => _dir["db/safestream.db"];

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
    public async Task DatabaseOnlyIsNotReadyWhileItsDatabaseIsAwayAndReadyAgainOnceItIsBack()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, time: _time);
        var (before, ready) = await app.GetAsync("/readyz");

        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();
        _time.Advance(TimeSpan.FromSeconds(1)); // past the shared probe
        var (during, notReady) = await app.GetAsync("/readyz");
        var (alive, _) = await app.GetAsync("/healthz");
        File.Move(DatabasePath + ".away", DatabasePath);
        _time.Advance(TimeSpan.FromSeconds(3)); // the breaker's break is over, and the probe is due
        var (after, _) = await app.GetAsync("/readyz");

        Assert.Equal(200, before);
        Assert.Equal(("ready", "DatabaseOnly", "Closed", 0L), (ready.GetProperty("status").GetString(), ready.GetProperty("mode").GetString(), ready.GetProperty("breaker").GetString(), ready.GetProperty("journal_backlog").GetInt64()));
        Assert.Equal(503, during);
        Assert.Equal("not_ready", notReady.GetProperty("status").GetString());
        Assert.StartsWith("DatabaseOnly cannot reach its database", notReady.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, alive);
        Assert.Equal(200, after);
    }

    [Fact]
    public async Task DatabaseFirstStaysReadyThroughAnOutageAndSaysItServesFromTheFiles()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, time: _time);

        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();
        await app.RegisterAsync("alice"); // spills to the journal
        var (status, body) = await app.GetAsync("/readyz");

        Assert.Equal(200, status);
        Assert.Equal(("ready", "Degraded"), (body.GetProperty("status").GetString(), body.GetProperty("health").GetString()));
        Assert.True(body.GetProperty("journal_backlog").GetInt64() > 0);
    }
}
