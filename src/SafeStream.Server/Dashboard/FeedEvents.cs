using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>The live feed's server-sent events, each serialised once for every listener.</summary>
internal static class FeedEvents
{
    /// <summary>The feed has its baseline: what the dashboard reads from storage from now on, plus the feed, misses nothing.</summary>
    public static readonly SseItem<string> Ready = new("{}", "ready");

    /// <summary>Sent when nothing else was for a while, so proxies keep the stream open.</summary>
    public static readonly SseItem<string> Ping = new("{}", "ping");

    public static SseItem<string> Status(FeedStatus status) => Event("status", status, DashboardJsonContext.Default.FeedStatus);

    public static SseItem<string> Of(StorageEvent e) => e switch
    {
        ChatMessage m => Event("chat", FeedChat.Of(m), DashboardJsonContext.Default.FeedChat),
        Gift g => Event("gift", FeedGift.Of(g), DashboardJsonContext.Default.FeedGift),
        AdminAction a => Event("admin", FeedAction.Of(a), DashboardJsonContext.Default.FeedAction),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Not a feed event."),
    };

    private static SseItem<string> Event<T>(string type, T value, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.Serialize(value, typeInfo), type);
}
