using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>DatabaseFirst on a PostgreSQL server (of this class's own) that is stopped and started again.</summary>
public sealed class PostgresRestartTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>, IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WritesSpilledWhileTheServerIsDownReachItOnceItIsBack()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Stores.Options(_dir);
        options.Provider = DatabaseProvider.PostgreSQL;
        options.ConnectionString = postgres.ConnectionString;
        await using var router = Stores.Router(options, time);
        await router.Replayer.WarmUpAsync(Ct);
        var before = _events.Chat("alice", "before");
        await router.AppendAsync([before], Ct);

        postgres.Stop();
        var during = Enumerable.Range(0, 5).Select(i => _events.Chat("alice", $"during {i}")).ToList();
        foreach (var e in during)
        {
            await router.AppendAsync([e], Ct);
        }

        var spilled = router.Current.JournalBacklog;
        postgres.Start();
        for (var round = 0; round < 5 && router.Current.JournalBacklog > 0; round++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await router.ReplayAsync(Ct);
        }

        Assert.Equal(5, spilled);
        Assert.True(router.Current.JournalBacklog == 0, $"backlog {router.Current.JournalBacklog}: {router.Current.LastError}");
        Assert.Equal(6, await postgres.ScalarAsync("SELECT count(*) FROM chat_messages"));
    }
}
