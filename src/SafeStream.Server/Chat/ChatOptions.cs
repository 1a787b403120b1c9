using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Chat;

/// <summary>The <c>Chat</c> section: what a reconnecting client is replayed, and who may watch without an account. Reloads.</summary>
internal sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>
    /// The most chat messages a socket opened with <c>?since=&lt;id&gt;</c> is replayed from storage before the live feed;
    /// when more were missed, the newest this many are replayed after a <c>skipped</c> frame. 0 replays nothing (the
    /// client is still told what it missed). At most 5 000: the file modes keep the last 10 000 messages in memory.
    /// </summary>
    [Range(0, 5_000)]
    public int ReplayLimit { get; set; } = 500;

    /// <summary>Whether <c>/ws</c>, without a username or token, opens a read-only socket that receives chat and gifts.</summary>
    public bool AnonymousViewers { get; set; }

    /// <summary>
    /// Anonymous sockets from one client address (an IPv6 /64); behind a reverse proxy, list it under
    /// <c>ReverseProxy:KnownProxies</c> or every viewer shares the proxy's address.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxAnonymousPerAddress { get; set; } = 100;
}
