using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Chat;
using SafeStream.Server.Telemetry;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Chat;

/// <summary>
/// When a client counts as slow: past its byte budget or four times SendQueueFrames behind (at once), or stalled with
/// anything waiting for it (on the next frame queued, or on the hub's check when nothing more comes).
/// </summary>
public sealed class SendQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AClientOneBurstBehindIsKeptWhileItsStallIsShort()
    {
        var connection = Connection(queueFrames: 4, slowSeconds: 2);

        var accepted = Enumerable.Range(0, 8).Select(_ => connection.TrySend([1])).ToList();

        Assert.All(accepted, Assert.True);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public void AClientBehindThatTakesNothingForTooLongIsDropped()
    {
        var connection = Connection(queueFrames: 4, slowSeconds: 2);
        for (var i = 0; i < 5; i++)
        {
            connection.TrySend([1]);
        }

        _time.Advance(TimeSpan.FromSeconds(3));
        var accepted = connection.TrySend([1]);

        Assert.False(accepted);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public void AClientFourQueuesBehindIsDroppedAtOnce()
    {
        var connection = Connection(queueFrames: 4, slowSeconds: 3600);

        var accepted = Enumerable.Range(0, 17).Select(_ => connection.TrySend([1])).ToList();

        Assert.Equal(16, accepted.Count(a => a));
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public void AClientPastItsByteBudgetIsDroppedAtOnceHoweverFewItsFrames()
    {
        var connection = Connection(queueFrames: 4096, slowSeconds: 3600, queueBytes: 16 * 1024);

        var first = connection.TrySend(new byte[10 * 1024]);
        var second = connection.TrySend(new byte[10 * 1024]);

        Assert.True(first);
        Assert.False(second);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public void AStalledClientIsDroppedByTheCheckEvenWhenNothingMoreIsQueuedForIt()
    {
        var connection = Connection(queueFrames: 4096, slowSeconds: 2);
        connection.TrySend([1]);

        _time.Advance(TimeSpan.FromSeconds(3));
        var firstLook = connection.DropIfStalled();
        var secondLook = connection.DropIfStalled();

        Assert.False(firstLook); // seen once: a check that lands while a send completes must not drop a healthy client
        Assert.True(secondLook);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public void AClientWithOneFrameWaitingIsKeptWhileItsStallIsShort()
    {
        var connection = Connection(queueFrames: 4096, slowSeconds: 2);
        connection.TrySend([1]);

        _time.Advance(TimeSpan.FromSeconds(1));
        connection.DropIfStalled();
        var dropped = connection.DropIfStalled();

        Assert.False(dropped);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public void AnIdleClientIsNeverStalledHoweverLongItWasQuiet()
    {
        var connection = Connection(queueFrames: 4, slowSeconds: 2);

        _time.Advance(TimeSpan.FromHours(1));
        connection.DropIfStalled();
        var dropped = connection.DropIfStalled();
        var accepted = connection.TrySend([1]);

        Assert.False(dropped);
        Assert.True(accepted);
        Assert.True(connection.IsOpen);
        Assert.Equal(1, connection.QueuedBytes);
    }

    private ChatConnection Connection(int queueFrames, double slowSeconds, int queueBytes = 4 * 1024 * 1024)
    {
        var session = new UserSession(new User { Username = "alice", PasswordHash = "x" }, new TokenBucket(0, 1, _time));
        var limits = new LimitsOptions { SendQueueFrames = queueFrames, SendQueueBytes = queueBytes, SlowClientSeconds = slowSeconds };
        return new ChatConnection(session, null, limits, _time, new ServerMetrics(new TestMeterFactory()), NullLogger.Instance);
    }
}
