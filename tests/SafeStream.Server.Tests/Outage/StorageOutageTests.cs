using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;
using SafeStream.Storage.Modes;

namespace SafeStream.Server.Tests.Outage;

/// <summary>The SQLite file vanishes in the middle of a chat session (as in the storage layer's own outage tests).</summary>
public sealed class StorageOutageTests : IAsyncLifetime
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
    public async Task InDatabaseFirstClientsChatThroughAnOutageAndEveryAcknowledgedMessageLandsInTheDatabaseOnce()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, time: _time);
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));
        var acknowledged = await ChatAsync(alice, bob, "before", 10);

        // The breaker judges the last Storage:Resilience:SamplingSeconds (10 s) of calls. On the test's clock, stopped
        // since the start, those are every call the start-up and the background services made: move on as real time
        // would, so the outage is judged by its own calls.
        _time.Advance(TimeSpan.FromSeconds(11));
        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();
        acknowledged.AddRange(await ChatAsync(alice, bob, "during", 20));
        var during = app.Services.GetRequiredService<IStorageStatus>().Current;
        File.Move(DatabasePath + ".away", DatabasePath);
        _time.Advance(TimeSpan.FromSeconds(2)); // the breaker's break is over
        await app.Services.GetRequiredService<StorageRouter>().ReplayAsync(Ct);
        acknowledged.AddRange(await ChatAsync(alice, bob, "after", 5));

        Assert.Equal("Open", during.Breaker);
        Assert.True(during.JournalBacklog > 0);
        Assert.Equal(0, app.Services.GetRequiredService<IStorageStatus>().Current.JournalBacklog);
        Assert.Equal((35L, 35L, 0L), DatabaseProbe.ChatIds(DatabasePath, acknowledged));
    }

    [Fact]
    public async Task InDatabaseOnlyTheSenderGetsAnErrorFrameAndHttpAnswers503AndNothingClaimsSuccess()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, time: _time);
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));

        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();
        await alice.SendChatAsync("lost?");
        var error = await alice.ReceiveAsync();
        var (register, registerBody) = await app.PostAsync("/auth/register", null, new { username = "carol", password = SafeStreamApp.Password });
        var (metrics, _) = await app.GetAsync("/metrics");
        File.Move(DatabasePath + ".away", DatabasePath);
        _time.Advance(TimeSpan.FromSeconds(2));
        await alice.SendChatAsync("back");
        var bobsNext = await bob.ReceiveAsync();

        Assert.Equal(["error", "detail"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Storage unavailable", error.GetProperty("error").GetString());
        Assert.Equal(503, register);
        Assert.NotEmpty(registerBody.GetProperty("detail").GetString()!);
        Assert.Equal(503, metrics);
        Assert.Equal("back", bobsNext.GetProperty("message").GetString());
        Assert.Equal((1L, 1L, 0L), DatabaseProbe.ChatIds(DatabasePath, [bobsNext.GetProperty("id").GetInt64()]));
    }

    [Fact]
    public async Task InDatabaseOnlyAReconnectWhoseBacklogCannotBeReadIsRefusedWith503AndGetsItOnceTheDatabaseIsBack()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, new Dictionary<string, string?> { ["Chat:AnonymousViewers"] = "true" }, _time);
        await app.SayAsync("alice", await app.RegisterAsync("alice"), "missed");
        var address = ChatClient.AnonymousAddress(app.BaseAddress, "since=0");

        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();
        var refused = await ChatClient.RefusedStatusAsync(address);
        File.Move(DatabasePath + ".away", DatabasePath);
        _time.Advance(TimeSpan.FromSeconds(2));
        await using var viewer = await ChatClient.ConnectToAsync(address, "(anonymous)");

        Assert.Equal(503, refused); // not an empty backlog that would pass for "nothing missed"
        Assert.Equal("missed", (await viewer.ReceiveAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task ModeratorsKickAndMuteAnAccountTheServerHasNotReadSinceItStartedWhileTheDatabaseIsDown()
    {
        await using (var before = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, time: _time))
        {
            await before.RegisterAsync("troll");
            await before.RegisterAsync("spammer");
        }

        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, time: _time); // a restart: both known by name only
        var admin = await app.RegisterAdminAsync();
        await app.GetAsync("/auth/me", admin); // the admin's own account is read before the outage
        File.Move(DatabasePath, DatabasePath + ".away");
        SqliteConnection.ClearAllPools();

        var (kick, _) = await app.PostAsync("/api/admin/kick", admin, new { username = "troll" });
        var (mute, muted) = await app.PostAsync("/api/admin/mute", admin, new { username = "spammer", minutes = 30 });
        var (unknown, _) = await app.PostAsync("/api/admin/kick", admin, new { username = "nobody-at-all" });
        File.Move(DatabasePath + ".away", DatabasePath);
        _time.Advance(TimeSpan.FromSeconds(2));
        await app.Services.GetRequiredService<StorageRouter>().ReplayAsync(Ct);

        Assert.Equal((200, 200, 404), (kick, mute, unknown));
        Assert.NotNull(Scalar("SELECT tokens_valid_after FROM users WHERE username = 'troll'"));
        Assert.Equal(
            Storage.Model.Micros.ToUnix(muted.GetProperty("muted_until").GetDateTimeOffset()),
            Scalar("SELECT muted_until FROM users WHERE username = 'spammer'"));
    }

    private long? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : null;
    }

    /// <summary>Alice sends; answers the ids bob received, after checking alice saw her own echo (no error) each time.</summary>
    private static async Task<List<long>> ChatAsync(ChatClient alice, ChatClient bob, string prefix, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            await alice.SendChatAsync($"{prefix} {i}");
            var echo = await alice.ReceiveAsync();
            var received = await bob.ReceiveAsync();
            Assert.Equal("chat", echo.GetProperty("type").GetString());
            Assert.Equal($"{prefix} {i}", received.GetProperty("message").GetString());
            ids.Add(received.GetProperty("id").GetInt64());
        }

        return ids;
    }
}
