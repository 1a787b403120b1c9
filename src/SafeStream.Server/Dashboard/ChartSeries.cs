using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>Messages and toxic messages per minute over a window ending at the current minute.</summary>
internal static class ChartSeries
{
    public const int BucketSeconds = 60;

    /// <param name="messages">The window's messages, newest first, as storage answered them.</param>
    /// <param name="truncated">The read hit its limit: minutes older than the oldest message read are left out, not shown as quiet.</param>
    public static SeriesResponse Build(IReadOnlyList<ChatMessage> messages, DateTimeOffset now, int minutes, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var bucket = TimeSpan.FromSeconds(BucketSeconds);
        var to = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % bucket.Ticks), TimeSpan.Zero) + bucket;
        var from = to - (bucket * minutes);
        var counts = new (int Messages, int Toxic)[minutes];
        foreach (var m in messages)
        {
            if (m.Ts >= from && m.Ts < to)
            {
                var i = (int)((m.Ts - from).Ticks / bucket.Ticks);
                counts[i] = (counts[i].Messages + 1, counts[i].Toxic + (m.Toxic ? 1 : 0));
            }
        }

        var coveredFrom = truncated && messages.Count > 0 ? messages[^1].Ts : from;
        var points = new List<SeriesPoint>(minutes);
        for (var i = 0; i < minutes; i++)
        {
            var start = from + (bucket * i);
            if (start >= coveredFrom)
            {
                points.Add(new SeriesPoint(start, counts[i].Messages, counts[i].Toxic));
            }
        }

        return new SeriesResponse(BucketSeconds, from, to, points, truncated, messages.Count);
    }
}
