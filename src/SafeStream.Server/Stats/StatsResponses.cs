namespace SafeStream.Server.Stats;

internal sealed record MetricsResponse(int ViewerCount, long GiftCount, double ToxicPct);

/// <summary>One entry of <c>/api/recent</c>: a chat message (<c>type</c> "message") or a gift (<c>type</c> "gift").</summary>
internal sealed record RecentItem(long Id, DateTimeOffset Ts, string User, string? Msg, bool Toxic, double Score, bool Blocked, int? Gift, int? Amount, string Type);

internal sealed record RecentResponse(IReadOnlyList<RecentItem> RecentData);
