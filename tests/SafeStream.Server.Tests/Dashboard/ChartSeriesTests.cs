using SafeStream.Server.Dashboard;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Dashboard;

public sealed class ChartSeriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 30, 20, TimeSpan.Zero);

    [Fact]
    public void MessagesAndToxicMessagesAreCountedPerMinuteUpToTheCurrentOne()
    {
        ChatMessage[] messages = [At(12, 30, 5, toxic: true), At(12, 30, 1), At(12, 28, 59, toxic: true), At(12, 28, 0), At(11, 0, 0)];

        var series = ChartSeries.Build(messages, Now, minutes: 5, truncated: false);

        Assert.Equal(new DateTimeOffset(2026, 5, 1, 12, 26, 0, TimeSpan.Zero), series.From);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 12, 31, 0, TimeSpan.Zero), series.To);
        Assert.Equal([0, 0, 2, 0, 2], series.Points.Select(p => p.Messages));
        Assert.Equal([0, 0, 1, 0, 1], series.Points.Select(p => p.Toxic));
        Assert.False(series.Truncated);
    }

    [Fact]
    public void ATruncatedReadLeavesOutTheMinutesItDidNotFullySee()
    {
        ChatMessage[] messages = [At(12, 30, 5), At(12, 29, 30), At(12, 28, 40)];

        var series = ChartSeries.Build(messages, Now, minutes: 5, truncated: true);

        Assert.Equal([new DateTimeOffset(2026, 5, 1, 12, 29, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 1, 12, 30, 0, TimeSpan.Zero)], series.Points.Select(p => p.Start));
        Assert.True(series.Truncated);
        Assert.Equal(3, series.Sampled);
    }

    private static ChatMessage At(int hour, int minute, int second, bool toxic = false) =>
        new(1, "alice", "hi", toxic, toxic ? 0.9 : 0.1, toxic, new DateTimeOffset(2026, 5, 1, hour, minute, second, TimeSpan.Zero));
}
