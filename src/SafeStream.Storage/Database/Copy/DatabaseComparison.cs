using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database.Copy;

/// <summary>
/// Two SafeStream databases compared row by row: accounts by username with every stamp, settings by key, events by
/// id with their content and source key. Both sides are streamed in the same order, so memory stays flat.
/// </summary>
public sealed class DatabaseComparison(MigrationDatabase source, MigrationDatabase target, int examples = 5)
{
    public async Task<ComparedTable> UsersAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        await using var from = await source.Store.ContextAsync(cancellationToken);
        await using var to = await target.Store.ContextAsync(cancellationToken);
        var theirs = await to.Users.AsNoTracking().ToDictionaryAsync(u => u.Username, StringComparer.Ordinal, cancellationToken);
        var table = new Tally("users", examples) { Target = theirs.Count };
        await foreach (var row in from.Users.AsNoTracking().OrderBy(u => u.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            table.Source++;
            if (!theirs.Remove(row.Username, out var there))
            {
                table.Differ($"user {row.Username}: only in the source");
            }
            else if (!row.SameAs(there))
            {
                table.Differ($"user {row.Username}: differs (updated {Micros.FromUnix(row.UpdatedAt):O} in the source, {Micros.FromUnix(there.UpdatedAt):O} in the target)");
            }
        }

        foreach (var name in theirs.Keys.Order(StringComparer.Ordinal))
        {
            table.Differ($"user {name}: only in the target");
        }

        return table.Result();
    }

    public async Task<ComparedTable> SettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var from = await source.Store.ContextAsync(cancellationToken);
        await using var to = await target.Store.ContextAsync(cancellationToken);
        var theirs = await to.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, StringComparer.Ordinal, cancellationToken);
        var table = new Tally("settings", examples) { Target = theirs.Count };
        await foreach (var row in from.Settings.AsNoTracking().OrderBy(s => s.Key).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            table.Source++;
            if (!theirs.Remove(row.Key, out var there))
            {
                table.Differ($"setting {row.Key}: only in the source");
            }
            else if (there.Value != row.Value || there.UpdatedAt != row.UpdatedAt)
            {
                table.Differ($"setting {row.Key}: {row.Value} in the source, {there.Value} in the target");
            }
        }

        foreach (var key in theirs.Keys.Order(StringComparer.Ordinal))
        {
            table.Differ($"setting {key}: only in the target");
        }

        return table.Result();
    }

    /// <summary>Both tables of <paramref name="kind"/> walked in id order together.</summary>
    public async Task<ComparedTable> EventsAsync(EventKind kind, CancellationToken cancellationToken = default)
    {
        await using var from = await source.Store.ContextAsync(cancellationToken);
        await using var to = await target.Store.ContextAsync(cancellationToken);
        await using var mine = from.EventRows(kind).GetAsyncEnumerator(cancellationToken);
        await using var theirs = to.EventRows(kind).GetAsyncEnumerator(cancellationToken);
        var table = new Tally(Inventory.TableOf(kind), examples);
        bool left = await mine.MoveNextAsync(), right = await theirs.MoveNextAsync();
        while (left || right)
        {
            var order = !right ? -1 : !left ? 1 : mine.Current.Id.CompareTo(theirs.Current.Id);
            if (order < 0)
            {
                table.Differ($"{table.Name} id {mine.Current.Id}: only in the source");
            }
            else if (order > 0)
            {
                table.Differ($"{table.Name} id {theirs.Current.Id}: only in the target");
            }
            else if (mine.Current.ToEvent() != theirs.Current.ToEvent() || !Same(mine.Current.SourceKey, theirs.Current.SourceKey))
            {
                table.Differ($"{table.Name} id {mine.Current.Id}: differs");
            }

            if (order <= 0)
            {
                table.Source++;
                left = await mine.MoveNextAsync();
            }

            if (order >= 0)
            {
                table.Target++;
                right = await theirs.MoveNextAsync();
            }
        }

        return table.Result();
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private sealed class Tally(string name, int examples)
    {
        private readonly List<string> _examples = [];
        private long _differences;

        public string Name => name;

        public long Source { get; set; }

        public long Target { get; set; }

        public void Differ(string what)
        {
            if (++_differences <= examples)
            {
                _examples.Add(what);
            }
        }

        public ComparedTable Result() => new(name, Source, Target, _differences, _examples);
    }
}
