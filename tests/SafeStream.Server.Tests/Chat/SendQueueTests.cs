using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Chat;
using SafeStream.Server.Telemetry;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Chat;

/// <summary>When a client counts as slow: behind by SendQueueFrames and stalled, or four times that behind.</summary>
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

    private ChatConnection Connection(int queueFrames, double slowSeconds)
    {
        var session = new UserSession(new User { Username = "alice", PasswordHash = "x" }, new TokenBucket(0, 1, _time));
        var limits = new LimitsOptions { SendQueueFrames = queueFrames, SlowClientSeconds = slowSeconds };
        return new ChatConnection(session, null, limits, _time, new ServerMetrics(new TestMeterFactory()), NullLogger.Instance);
    }
}
