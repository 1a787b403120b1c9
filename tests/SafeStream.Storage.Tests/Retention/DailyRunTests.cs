using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Retention;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Retention;

/// <summary>The daily run: at <c>Retention:RunAtUtc</c> by the server's clock, and made by one of the instances that share a PostgreSQL.</summary>
public sealed class DailyRunTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 14, 3, 29, 0, TimeSpan.Zero);
    private readonly TempFolder _first = new();
    private readonly TempFolder _second = new();
    private readonly WatchedTime _time = new(Morning);
    private readonly List<IAsyncDisposable> _routers = [];

    public async ValueTask InitializeAsync() => await postgres.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var router in _routers)
        {
            await router.DisposeAsync();
        }

        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task TheRunStartsAtRunAtUtcByTheServersClockAndIsRecordedBySystemRetention()
    {
        var (pruner, router) = Pruner(_first, instance: 0);
        await router.AppendAsync([new ChatMessage(7, "old", "from February", false, 0, false, Morning.AddDays(-40))], Ct);
        var log = new ListLogger<RetentionScheduler>();
        using var scheduler = new RetentionScheduler(pruner, _time, log);
        await scheduler.StartAsync(Ct);
        await _time.TimerStartedAsync(TimeSpan.FromMinutes(1)); // it waits for 03:30 (moving the clock before would race it)

        _time.Advance(TimeSpan.FromSeconds(59)); // 03:29:59: not yet
        var early = await router.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => (await router.RecentAdminActionsAsync(10, Ct)).Any(a => a.Admin == Storage.Retention.Pruner.Actor), log);
        var late = await router.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);
        await scheduler.StopAsync(Ct);

        Assert.Single(early);
        Assert.Empty(late);
        var record = Assert.Single(await router.RecentAdminActionsAsync(10, Ct));
        Assert.Equal(Morning.AddMinutes(1), record.Ts);
        Assert.Contains("\"chat\":1", record.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfTwoInstancesOnOnePostgreSqlOnlyOneMakesTheRunDueAndAPruneDuringARunIsRefused()
    {
        var (first, router) = Pruner(_first, instance: 0, onPostgres: true);
        var (second, _) = Pruner(_second, instance: 1, onPostgres: true);
        await router.AppendAsync([new Gift(9, "old", 1, 1, Morning.AddDays(-40))], Ct);
        var due = Morning.AddMinutes(1);
        _time.SetUtcNow(due);

        var runs = await Task.WhenAll(first.RunScheduledAsync(due, Ct), second.RunScheduledAsync(due, Ct));
        var again = await Task.WhenAll(first.RunScheduledAsync(due, Ct), second.RunScheduledAsync(due, Ct));
        Exception? busy;
        using (await RunLock.TryTakeAsync(router.Db.Dialect, fallbackFolder: "", Ct))
        {
            busy = await Record.ExceptionAsync(() => second.RunAsync(dryRun: false, Ct));
        }

        var made = Assert.Single(runs, r => r is not null)!;
        Assert.Equal(1, made.Kinds.Single(k => k.Kind == "gifts").Database);
        Assert.All(again, Assert.Null);
        Assert.Single(await router.RecentAdminActionsAsync(10, Ct), a => a.Admin == Storage.Retention.Pruner.Actor);
        Assert.IsType<RetentionBusyException>(busy); // a run in progress elsewhere (prune while the daily run goes)
    }

    private (Pruner Pruner, StorageRouter Router) Pruner(TempFolder dir, int instance, bool onPostgres = false)
    {
        var options = Stores.Options(dir, StorageMode.DatabaseOnly);
        if (onPostgres)
        {
            postgres.Options(options);
        }

        var router = Stores.Router(options, _time, new EventIdGenerator(_time, instance));
        _routers.Add(router);
        var retention = new RetentionOptions { ChatDays = 30, GiftDays = 30, RunAtUtc = "03:30", PauseMs = 0 };
        return (new Pruner(router, options, new Fixed(retention), new EventIdGenerator(_time, instance), _time, NullLogger<Pruner>.Instance), router);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> done, ListLogger<RetentionScheduler> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the daily run never happened; the scheduler logged: [{string.Join(" | ", log.Lines)}]");
            await Task.Delay(20, Ct); // the scheduler runs on its own task once the fake clock reached the time
        }
    }

    /// <summary>A fake clock that says when a timer is made, so that the test moves it only once the scheduler waits.</summary>
    private sealed class WatchedTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(dueTime);
            return timer;
        }

        public async Task TimerStartedAsync(TimeSpan dueTime)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            patience.CancelAfter(TimeSpan.FromSeconds(20));
            while (await _timers.Reader.ReadAsync(patience.Token) != dueTime)
            {
            }
        }
    }

    private sealed class Fixed(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
