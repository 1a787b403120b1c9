using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Retention;

/// <summary>Lines removed from the legacy logs, per kind, and how many files were rewritten or removed.</summary>
internal sealed record LogPruneCounts(long Chat, long Gifts, int Files);

/// <summary>
/// Retention on the legacy logs of the file modes. A log that holds chat or gift lines older than the horizon is
/// rewritten without them: every other line (admin actions, newer lines, lines that cannot be read and so cannot be
/// dated) keeps its exact bytes, so its import key does not change. The rewrite is a new file renamed over the old one
/// under the logs' append lock; a writer (ours, in any process) notices the file was replaced at its next append and
/// opens the new one. A log left with no line is removed.
/// </summary>
internal static class LegacyLogPruner
{
    public static LogPruneCounts Run(string logsPath, RetentionFloor horizon, bool dryRun, CancellationToken cancellationToken)
    {
        long chat = 0, gifts = 0;
        var files = 0;
        if (horizon.IsNone)
        {
            return new LogPruneCounts(0, 0, 0);
        }

        foreach (var path in LogFiles.OldestFirst(logsPath))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Counted without the lock first: most files hold nothing to prune, and the appenders need not wait for them.
            if (Count(path, horizon) is not { Total: > 0 })
            {
                continue;
            }

            using (FileLocks.Logs(logsPath))
            {
                var (c, g, _) = dryRun ? Count(path, horizon) : Rewrite(path, horizon);
                if (c + g > 0)
                {
                    (chat, gifts, files) = (chat + c, gifts + g, files + 1);
                }
            }
        }

        return new LogPruneCounts(chat, gifts, files);
    }

    private static (long Chat, long Gifts, long Total) Count(string path, RetentionFloor horizon)
    {
        long chat = 0, gifts = 0;
        using var reader = Open(path);
        if (reader is null)
        {
            return (0, 0, 0);
        }

        while (reader.TryRead(out var line, out var terminated))
        {
            switch (Pruned(line, terminated, horizon))
            {
                case EventKind.Chat:
                    chat++;
                    break;
                case EventKind.Gift:
                    gifts++;
                    break;
            }
        }

        return (chat, gifts, chat + gifts);
    }

    private static (long Chat, long Gifts, long Total) Rewrite(string path, RetentionFloor horizon)
    {
        long chat = 0, gifts = 0, kept = 0;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.retention.tmp");
        try
        {
            using (var reader = Open(path))
            {
                if (reader is null)
                {
                    return (0, 0, 0);
                }

                using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                while (reader.TryRead(out var line, out var terminated))
                {
                    switch (Pruned(line, terminated, horizon))
                    {
                        case EventKind.Chat:
                            chat++;
                            continue;
                        case EventKind.Gift:
                            gifts++;
                            continue;
                    }

                    output.Write(line);
                    if (terminated)
                    {
                        output.WriteByte((byte)'\n');
                    }

                    kept++;
                }

                output.Flush(flushToDisk: true);
            }

            if (chat + gifts > 0)
            {
                if (kept == 0)
                {
                    File.Delete(path);
                }
                else
                {
                    File.Move(temp, path, overwrite: true);
                }

                DirectorySync.Flush(directory);
            }

            return (chat, gifts, chat + gifts);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The kind of a whole, readable line that retention removes, or null to keep it.</summary>
    private static EventKind? Pruned(ReadOnlySpan<byte> line, bool terminated, RetentionFloor horizon)
    {
        if (!terminated || line.IsEmpty || LegacyLines.Parse(line).Event is not { } e || !horizon.Covers(e))
        {
            return null;
        }

        return e is ChatMessage ? EventKind.Chat : EventKind.Gift;
    }

    private static LineReader? Open(string path)
    {
        try
        {
            return new LineReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan));
        }
        catch (FileNotFoundException)
        {
            return null; // rotated away since it was listed; its lines are under the next name
        }
    }
}
