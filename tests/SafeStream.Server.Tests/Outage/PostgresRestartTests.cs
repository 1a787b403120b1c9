using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;
using SafeStream.Storage.Modes;

namespace SafeStream.Server.Tests.Outage;

/// <summary>A PostgreSQL server (of this class's own) stopped and started again in the middle of a chat session.</summary>
public sealed class PostgresRestartTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>, IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SafeStreamApp? _app;

    public async ValueTask InitializeAsync()
    {
        await postgres.ScalarAsync("DO $$ BEGIN IF to_regclass('public.chat_messages') IS NOT NULL THEN TRUNCATE chat_messages, gifts, admin_actions, users, settings; END IF; END $$");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task InDatabaseFirstChatGoesOnThroughARestartAndTheJournalIsReplayedOnce()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, postgres.Settings, _time);
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));
        var acknowledged = await ChatAsync(alice, bob, "before", 10);

        postgres.Stop();
        acknowledged.AddRange(await ChatAsync(alice, bob, "during", 20));
        var during = Status(app);
        postgres.Start();
        await ReplayedAfterRecoveryAsync(app);
        acknowledged.AddRange(await ChatAsync(alice, bob, "after", 5));

        Assert.True(during.JournalBacklog >= 20, $"journalled during the restart: {during.JournalBacklog}");
        Assert.Equal(0, Status(app).JournalBacklog);
        Assert.Equal(during.JournalBacklog, Status(app).ReplayedRecords); // each journalled record moved once
        Assert.Equal((35L, 35L), await postgres.ChatIdsAsync(acknowledged));
        Assert.Equal(35L, await postgres.ScalarAsync("SELECT count(*) FROM chat_messages"));
    }

    [Fact]
    public async Task InDatabaseOnlyCallersGet503UntilTheServerIsBackAndTheServiceRecoversWithoutARestart()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, postgres.Settings, _time);
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));

        postgres.Stop();
        await alice.SendChatAsync("lost?");
        var error = await alice.ReceiveAsync();
        var (register, _) = await app.PostAsync("/auth/register", null, new { username = "carol", password = SafeStreamApp.Password });
        var (ready, _) = await app.GetAsync("/readyz");
        postgres.Start();
        await RecoveredAsync(app);
        await alice.SendChatAsync("back");
        var bobsNext = await bob.ReceiveAsync();
        var (registerAgain, _) = await app.PostAsync("/auth/register", null, new { username = "carol", password = SafeStreamApp.Password });

        Assert.Equal("Storage unavailable", error.GetProperty("error").GetString());
        Assert.Equal((503, 503), (register, ready));
        Assert.Equal("back", bobsNext.GetProperty("message").GetString());
        Assert.Equal(200, registerAgain);
        Assert.Equal((1L, 1L), await postgres.ChatIdsAsync([bobsNext.GetProperty("id").GetInt64()]));
        Assert.Equal(0L, await postgres.ScalarAsync("SELECT count(*) FROM chat_messages WHERE message = 'lost?'"));
    }

    private static StorageStatus Status(SafeStreamApp app) => app.Services.GetRequiredService<IStorageStatus>().Current;

    /// <summary>
    /// The breaker's break is over; the next call (the service's own, in the background) is its trial, and once the
    /// breaker closes the service replays the journal by itself: awaited through the replayer's batches.
    /// </summary>
    private async Task ReplayedAfterRecoveryAsync(SafeStreamApp app)
    {
        var router = app.Services.GetRequiredService<StorageRouter>();
        var empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Replayer.BatchReplayed += _ =>
        {
            if (router.Journal.Backlog == 0)
            {
                empty.TrySetResult();
            }
        };
        _time.Advance(TimeSpan.FromSeconds(2));
        await router.Gate.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await router.ReplayAsync(Ct); // in case the service's own round ran just before the breaker closed
        if (router.Journal.Backlog > 0)
        {
            await empty.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    /// <summary>Waits until the service's own calls closed the breaker again after its break (advanced here).</summary>
    private async Task RecoveredAsync(SafeStreamApp app)
    {
        _time.Advance(TimeSpan.FromSeconds(2));
        await app.Services.GetRequiredService<StorageRouter>().Gate.Closed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
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
