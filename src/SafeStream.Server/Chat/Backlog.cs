using System.Globalization;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

/// <summary>
/// What a client that reconnects with <c>?since=&lt;id&gt;</c> missed: the chat messages stored after that id (never a
/// blocked one), oldest first, at most <see cref="ChatOptions.ReplayLimit"/> of them, read from whatever storage the
/// mode reads. The socket holds its live frames meanwhile (see <see cref="ChatConnection.HoldLiveFrames"/>), so
/// nothing falls between the stored backlog and the live feed, and nothing arrives twice.
/// </summary>
internal sealed class Backlog(IStorage storage, IOptionsMonitor<ChatOptions> options)
{
    /// <summary>The largest id a browser reads exactly (ids stay below 2^53, see the event id generator).</summary>
    public const long MaxId = (1L << 53) - 1;

    public static string SinceRule => $"since must be the id of the last chat message seen: a whole number from 0 to {MaxId}";

    /// <summary>
    /// Reads <c>since</c> from the query: true with null when absent (a legacy client), false with an error for
    /// anything but one whole number in [0, <see cref="MaxId"/>].
    /// </summary>
    public static bool TryParseSince(IQueryCollection query, out long? since)
    {
        ArgumentNullException.ThrowIfNull(query);
        since = null;
        if (!query.TryGetValue("since", out var values))
        {
            return true;
        }

        if (values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id > MaxId)
        {
            return false;
        }

        since = id;
        return true;
    }

    /// <summary>Reads what the client missed after <paramref name="since"/> and queues it ahead of the live frames held meanwhile.</summary>
    public async Task SendAsync(ChatConnection connection, long since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var limit = options.CurrentValue.ReplayLimit;

        // One more than the limit says whether any were skipped, without counting them all.
        var newest = await storage.RecentMessagesAsync(new MessageQuery { AfterId = since, ExcludeBlocked = true, Limit = limit + 1 }, cancellationToken);
        var kept = Math.Min(limit, newest.Count);
        var backlog = new ChatMessage[kept];
        for (var i = 0; i < kept; i++)
        {
            backlog[kept - 1 - i] = newest[i]; // newest first, by id: reversed, oldest first
        }

        connection.SendCatchUp(newest.Count > limit ? Frames.Skipped(since, limit) : null, backlog, since);
    }
}
