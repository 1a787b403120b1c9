using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Journal;

/// <summary>
/// Counts the records (whole, non-empty lines) in journal segments as they are on disk. Segments only grow, so each
/// is counted once and then only in what was appended since; the backlog is what lies after the checkpoint.
/// </summary>
internal sealed class SegmentLines
{
    private readonly Dictionary<long, (long To, long Lines)> _counted = [];
    private readonly Lock _lock = new();

    /// <summary>Records in the segments from <paramref name="checkpointSegment"/> on, less the <paramref name="linesBefore"/> already replayed in it.</summary>
    public long After(IReadOnlyList<long> segments, long checkpointSegment, long linesBefore, Func<long, string> pathOf)
    {
        lock (_lock)
        {
            long total = 0;
            foreach (var segment in segments)
            {
                if (segment < checkpointSegment)
                {
                    continue;
                }

                var lines = Lines(segment, pathOf(segment));
                total += segment == checkpointSegment ? lines - linesBefore : lines;
            }

            foreach (var gone in _counted.Keys.Where(k => k < checkpointSegment || !segments.Contains(k)).ToList())
            {
                _counted.Remove(gone);
            }

            return Math.Max(0, total);
        }
    }

    /// <summary>Whole non-empty lines in <c>[from, to)</c> of the file (to the end when <paramref name="to"/> is null), and where the last one ends.</summary>
    public static (long Lines, long End) Count(string path, long from, long? to = null)
    {
        try
        {
            using var reader = new LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan), from);
            long lines = 0;
            var end = from;
            while ((to is null || reader.Offset < to) && reader.TryRead(out var line, out var terminated) && terminated)
            {
                lines += line.IsEmpty ? 0 : 1;
                end = reader.Offset;
            }

            return (lines, end);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (0, from);
        }
    }

    private long Lines(long segment, string path)
    {
        var length = new FileInfo(path) is { Exists: true } info ? info.Length : 0;
        if (!_counted.TryGetValue(segment, out var counted) || counted.To > length)
        {
            counted = (0, 0); // new to us, or shortened by hand: count it afresh
        }

        if (length > counted.To)
        {
            var (lines, end) = Count(path, counted.To);
            counted = (end, counted.Lines + lines);
            _counted[segment] = counted;
        }

        return counted.Lines;
    }
}
