using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Cluster;

namespace SafeStream.Storage.Tests.Cluster;

/// <summary>The fan-out delivers an id once, however often it is announced within the window, and forgets it after.</summary>
public sealed class RecentIdsTests
{
    [Fact]
    public void AnIdIsNewOnceWithinTheWindowAndForgottenAfterIt()
    {
        var time = new FakeTimeProvider();
        var ids = new RecentIds(TimeSpan.FromSeconds(120), time);

        Assert.True(ids.Add(7));
        Assert.True(ids.Add(3)); // a replayed, older id is new too
        time.Advance(TimeSpan.FromSeconds(100));
        Assert.False(ids.Add(7));
        Assert.True(ids.Add(9));
        time.Advance(TimeSpan.FromSeconds(21));

        Assert.True(ids.Add(11)); // 7 and 3 leave the window here
        Assert.Equal(2, ids.Count);
        Assert.True(ids.Add(7));
    }
}
