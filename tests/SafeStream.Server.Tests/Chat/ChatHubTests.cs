using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using SafeStream.Server.Chat;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Chat;

public sealed class ChatHubTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ChatHub _hub;

    public ChatHubTests()
    {
        var lifetime = Mock.Of<IHostApplicationLifetime>(l => l.ApplicationStopping == CancellationToken.None);
        _hub = new ChatHub(Options.Create(new LimitsOptions { MessagesPerSecond = 1, MessageBurst = 3 }), _time, lifetime);
    }

    public void Dispose() => _hub.Dispose();

    [Fact]
    public void ReconnectingDoesNotRefillTheRateLimit()
    {
        var first = Reserve("alice");
        var burst = Enumerable.Range(0, 3).Count(_ => first.Bucket.TryTake());
        _hub.Release(first); // the last socket went away

        var again = Reserve("alice");

        Assert.Equal(3, burst);
        Assert.NotSame(first, again);
        Assert.False(again.Bucket.TryTake());
    }

    [Fact]
    public void ABucketThatRefilledIsForgottenWithItsLastSocket()
    {
        var first = Reserve("alice");
        first.Bucket.TryTake();
        _time.Advance(TimeSpan.FromSeconds(1));
        _hub.Release(first);

        var again = Reserve("alice");

        Assert.NotSame(first.Bucket, again.Bucket);
        Assert.Equal(3, Enumerable.Range(0, 4).Count(_ => again.Bucket.TryTake()));
    }

    private UserSession Reserve(string name) =>
        _hub.TryReserve(new User { Username = name, PasswordHash = "x" }, null, out var refusal) ?? throw new InvalidOperationException(refusal.Detail);
}
