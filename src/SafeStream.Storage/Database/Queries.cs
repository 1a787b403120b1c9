using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>The queries behind the dashboard's filters and totals, in LINQ that every provider translates.</summary>
internal static class Queries
{
    public static IQueryable<ChatMessageRow> Matching(this IQueryable<ChatMessageRow> rows, MessageQuery query)
    {
        if (query.ToxicOnly)
        {
            rows = rows.Where(m => m.Toxic);
        }

        if (query.ExcludeBlocked)
        {
            rows = rows.Where(m => !m.Blocked);
        }

        if (query.AfterId is { } afterId)
        {
            rows = rows.Where(m => m.Id > afterId);
        }

        if (query.Since is { } since)
        {
            var from = Micros.ToUnix(since);
            rows = rows.Where(m => m.Ts >= from);
        }

        if (query.Until is { } until)
        {
            var to = Micros.ToUnix(until);
            rows = rows.Where(m => m.Ts < to);
        }

        if (!string.IsNullOrEmpty(query.UserContains))
        {
            // Case-insensitive on every provider (SQLite's LIKE is, PostgreSQL's is not): both sides lower-cased.
            var pattern = "%" + EscapeLike(query.UserContains.ToLowerInvariant()) + "%";
            rows = rows.Where(m => EF.Functions.Like(m.Username.ToLower(), pattern, "\\"));
        }

        return rows;
    }

    public static async Task<StorageCounts> CountAsync(this SafeStreamDbContext context, DateTimeOffset? since, int topGifters, CancellationToken cancellationToken)
    {
        var from = since is { } s ? Micros.ToUnix(s) : long.MinValue;
        var messages = context.ChatMessages.Where(m => m.Ts >= from);
        var gifts = context.Gifts.Where(g => g.Ts >= from);
        var top = await gifts
            .GroupBy(g => g.FromUser)
            .Select(g => new { User = g.Key, Amount = g.Sum(x => (long)x.Amount), Count = g.LongCount() })
            .OrderByDescending(g => g.Amount)
            .ThenBy(g => g.User)
            .Take(topGifters)
            .ToListAsync(cancellationToken);
        return new StorageCounts(
            await messages.LongCountAsync(cancellationToken),
            await messages.LongCountAsync(m => m.Toxic, cancellationToken),
            await gifts.LongCountAsync(cancellationToken),
            await gifts.SumAsync(g => (long?)g.Amount, cancellationToken) ?? 0,
            [.. top.Select(t => new GifterTotal(t.User, t.Amount, t.Count))]);
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
