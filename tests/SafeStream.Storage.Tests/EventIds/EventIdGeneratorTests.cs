using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.EventIds;

namespace SafeStream.Storage.Tests.EventIds;

public sealed class EventIdGeneratorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IdsIncreaseStayBelowTwoToThe53AndTellWhenTheyWereMade()
    {
        var ids = new EventIdGenerator(_time, 6);

        var first = ids.Next();
        _time.Advance(TimeSpan.FromMilliseconds(3));
        var second = ids.Next();

        Assert.True(first > 0 && second > first && second <= EventIdGenerator.MaxId);
        Assert.Equal(_time.GetUtcNow(), EventIdGenerator.TimeOf(second));
        Assert.True(EventIdGenerator.TimeOf(new EventIdGenerator(new FakeTimeProvider(new DateTimeOffset(2089, 1, 1, 0, 0, 0, TimeSpan.Zero)), 7).Next()) < DateTimeOffset.MaxValue);
    }

    [Fact]
    public void AFullMillisecondBorrowsTheNextOneInsteadOfRepeating()
    {
        var ids = new EventIdGenerator(_time, 0);

        var many = Enumerable.Range(0, 5000).Select(_ => ids.Next()).ToList();

        Assert.Equal(many.Count, many.Distinct().Count());
        Assert.Equal(many.Order(), many);
        Assert.True(EventIdGenerator.TimeOf(many[^1]) > _time.GetUtcNow(), "9 ms were borrowed");
    }

    [Fact]
    public void InstancesNeverCollideInTheSameMillisecond()
    {
        var a = new EventIdGenerator(_time, 0);
        var b = new EventIdGenerator(_time, EventIdGenerator.FirstToolInstance);

        var fromA = Enumerable.Range(0, 600).Select(_ => a.Next()).ToHashSet();
        var fromB = Enumerable.Range(0, 600).Select(_ => b.Next());

        Assert.DoesNotContain(fromB, fromA.Contains);
    }

    [Fact]
    public void AfterARestartIdsContinuePastTheLargestStoredOne()
    {
        var before = new EventIdGenerator(_time, 0);
        var stored = Enumerable.Range(0, 2000).Select(_ => before.Next()).Max();
        var restarted = new EventIdGenerator(_time, 0);

        restarted.AdvancePast(stored);

        Assert.True(restarted.Next() > stored);
    }

    [Fact]
    public void AClockThatGoesBackNeverRepeatsAnId()
    {
        var clock = new SettableClock { Now = _time.GetUtcNow() };
        var ids = new EventIdGenerator(clock, 0);
        var before = ids.Next();

        clock.Now = clock.Now.AddSeconds(-5);

        Assert.True(ids.Next() > before);
    }

    [Fact]
    public void AfterARestartWithTheClockSetBackIdsStillIncrease()
    {
        using var dir = new TempFolder();
        var clock = new SettableClock { Now = _time.GetUtcNow() };
        long before;
        using (var lease = InstanceLease.Acquire(dir.Path, 0, clock))
        {
            var ids = new EventIdGenerator(clock, lease);
            before = Enumerable.Range(0, 1000).Select(_ => ids.Next()).Max();
        }

        clock.Now = clock.Now.AddHours(-1); // NTP stepped the clock back while the service was down
        using var restarted = InstanceLease.Acquire(dir.Path, 0, clock);

        Assert.True(new EventIdGenerator(clock, restarted).Next() > before);
    }

    [Fact]
    public void TwoLiveHoldersNeverShareAnInstanceNumber()
    {
        using var dir = new TempFolder();
        using var first = InstanceLease.Acquire(dir.Path, 3, _time);

        var error = Assert.Throws<InvalidOperationException>(() => InstanceLease.Acquire(dir.Path, 3, _time));
        using var other = InstanceLease.Acquire(dir.Path, 4, _time);

        Assert.Contains("Storage:InstanceId 3 is held by another live process", error.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, other.Instance);
    }

    [Fact]
    public void ToolsRunningAtOnceEachLeaseAToolNumberOfTheirOwn()
    {
        using var dir = new TempFolder();

        using var migrate = InstanceLease.AcquireTool(dir.Path, _time);
        using var grantAdmin = InstanceLease.AcquireTool(dir.Path, _time);

        Assert.Equal([EventIdGenerator.FirstToolInstance, EventIdGenerator.FirstToolInstance + 1], new[] { migrate.Instance, grantAdmin.Instance });
    }

    [Fact]
    public void ANumberIsFreeAgainOnceItsHolderEnds()
    {
        using var dir = new TempFolder();
        InstanceLease.Acquire(dir.Path, 5, _time).Dispose();

        using var again = InstanceLease.Acquire(dir.Path, 5, _time);

        Assert.Equal(5, again.Instance);
    }

    /// <summary>A clock that can be set backwards, which FakeTimeProvider refuses (NTP can do it).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
