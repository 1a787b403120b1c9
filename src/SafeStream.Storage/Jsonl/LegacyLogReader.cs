using System.Security.Cryptography;
using System.Text;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>One line of a legacy log: the event it holds, or why it holds none.</summary>
/// <param name="File">The file the line is in.</param>
/// <param name="LineNumber">1-based.</param>
/// <param name="Event">The event, or null when the line was skipped.</param>
/// <param name="Error">Why the line was skipped (malformed, or a truncated last line), or null.</param>
/// <param name="Hash">SHA-256 of the line's bytes (without the newline) when requested, for source keys.</param>
/// <param name="Raw">The text of a skipped line, for the rejects report.</param>
public readonly record struct LogLine(string File, long LineNumber, StorageEvent? Event, string? Error, byte[]? Hash, string? Raw);

/// <summary>
/// Reads legacy chat logs in constant memory. It is at least as tolerant as the legacy dashboard (both byte
/// styles, both timestamp forms, exponent scores, unknown keys, the old key aliases) and reports every line it
/// skips with file and line number: malformed lines, and a last line cut short by a crash.
/// </summary>
public static class LegacyLogReader
{
    /// <summary>Every line of every log in <paramref name="directory"/>, oldest file first.</summary>
    public static IEnumerable<LogLine> ReadDirectory(string directory, bool hashes = false) =>
        LogFiles.OldestFirst(directory).SelectMany(file => ReadFile(file, hashes));

    /// <summary>The events of every log in <paramref name="directory"/>, skipping bad lines.</summary>
    public static IEnumerable<StorageEvent> Events(string directory, Action<LogLine>? skipped = null)
    {
        foreach (var line in ReadDirectory(directory))
        {
            if (line.Event is { } e)
            {
                yield return e;
            }
            else
            {
                skipped?.Invoke(line);
            }
        }
    }

    public static IEnumerable<LogLine> ReadFile(string path, bool hashes = false)
    {
        LineReader reader;
        try
        {
            reader = new LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan));
        }
        catch (FileNotFoundException)
        {
            yield break; // rotated away between listing and opening; its lines are in the next name
        }

        using (reader)
        {
            while (true)
            {
                var line = Next(reader, path, hashes);
                if (line is null)
                {
                    yield break;
                }

                if (line.Value.LineNumber > 0)
                {
                    yield return line.Value;
                }
            }
        }
    }

    /// <summary>
    /// The largest event id among the whole lines in the last <paramref name="tailBytes"/> of the file, or 0.
    /// Writers append in id order, so this finds a file's newest id without reading all of it.
    /// </summary>
    public static long MaxIdInTail(string path, int tailBytes = 64 << 10)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            var start = Math.Max(0, stream.Length - tailBytes);
            using var reader = new LineReader(stream, start);
            long max = 0;
            var first = start > 0; // the first line of a tail read from the middle is a fragment
            while (reader.TryRead(out var line, out var terminated))
            {
                if (!first && terminated && LegacyLines.Parse(line).Event is { } e)
                {
                    max = Math.Max(max, e.Id);
                }

                first = false;
            }

            return max;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    // Spans cannot cross a yield, so one line is turned into a LogLine here. LineNumber 0 marks a blank line.
    private static LogLine? Next(LineReader reader, string path, bool hashes)
    {
        if (!reader.TryRead(out var bytes, out var terminated))
        {
            return null;
        }

        if (bytes.IsEmpty || bytes.IsWhiteSpace())
        {
            return new LogLine(path, 0, null, null, null, null);
        }

        var parsed = LegacyLines.Parse(bytes);
        var hash = hashes ? SHA256.HashData(bytes) : null;
        if (parsed.Event is { } e)
        {
            return new LogLine(path, reader.LineNumber, e, null, hash, null);
        }

        var reason = terminated ? parsed.Error : $"truncated last line (no newline; {parsed.Error})";
        return new LogLine(path, reader.LineNumber, null, reason, hash, Encoding.UTF8.GetString(bytes));
    }

    private static bool IsWhiteSpace(this ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
