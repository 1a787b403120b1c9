using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>A chat message as the dashboard shows it, blocked ones included.</summary>
internal sealed record FeedChat(long Id, DateTimeOffset Ts, string User, string Message, bool Toxic, double Score, bool Blocked)
{
    public static FeedChat Of(ChatMessage m) => new(m.Id, m.Ts, m.User, m.Text, m.Toxic, m.Score, m.Blocked);
}

internal sealed record FeedGift(long Id, DateTimeOffset Ts, string From, int GiftId, int Amount)
{
    public static FeedGift Of(Gift g) => new(g.Id, g.Ts, g.From, g.GiftId, g.Amount);
}

internal sealed record FeedAction(long Id, DateTimeOffset Ts, string Admin, string Action, string? Target, string? Details)
{
    public static FeedAction Of(AdminAction a) => new(a.Id, a.Ts, a.Admin, a.Action, a.Target, a.Details);
}

/// <summary>What changes without a storage read: viewers, the threshold in force, the storage mode and its health.</summary>
internal sealed record FeedStatus(int Viewers, int Connections, double Threshold, StorageStatus Storage);

internal sealed record MessagesResponse(IReadOnlyList<FeedChat> Messages);

internal sealed record ActivityResponse(IReadOnlyList<FeedGift> Gifts, IReadOnlyList<FeedAction> Actions);

/// <summary>Totals since the last metrics reset, the top gifters, and the live status.</summary>
internal sealed record SummaryResponse(
    long Messages,
    long ToxicMessages,
    double ToxicPct,
    long Gifts,
    long GiftAmount,
    IReadOnlyList<GifterTotal> TopGifters,
    DateTimeOffset? MetricsResetAt,
    FeedStatus Status);

internal sealed record SeriesPoint(DateTimeOffset Start, int Messages, int Toxic);

/// <summary>Messages per minute; <c>truncated</c> when the window held more messages than one read returns.</summary>
internal sealed record SeriesResponse(int BucketSeconds, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<SeriesPoint> Points, bool Truncated, int Sampled);
