using System.Buffers;
using System.Text;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Appends events to <c>logs/chat_YYYY-MM-DD.jsonl</c> as the legacy writer did: the date is the UTC date the
/// process started, and before a write would take the file to the size limit it is rotated to <c>.1</c> … <c>.N</c>.
/// </summary>
internal sealed class LegacyLogWriter(
    string directory,
    DateOnly startDate,
    long maxBytes,
    int backups,
    FsyncPolicy policy,
    int intervalMs,
    TimeProvider time) : DurableWriter(policy, intervalMs, time)
{
    private readonly string _path = Path.Combine(directory, LogFiles.NameFor(startDate));

    public string CurrentPath => _path;

    /// <summary>Appends the events, one line each, and returns once they are durable.</summary>
    public void Append(IReadOnlyList<StorageEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var lines = new byte[events.Count][];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = Encoding.UTF8.GetBytes(LegacyLines.Format(events[i]) + "\n");
        }

        AppendFile file;
        long ticket;
        var pending = new ArrayBufferWriter<byte>();
        lock (WriteLock)
        {
            file = Current ??= new AppendFile(_path);
            foreach (var line in lines)
            {
                var size = file.Length + pending.WrittenCount;
                if (size > 0 && size + line.Length > maxBytes)
                {
                    if (pending.WrittenCount > 0)
                    {
                        file.Write(pending.WrittenSpan);
                        pending.ResetWrittenCount();
                    }

                    Retire(file);
                    Rotate();
                    file = Current = new AppendFile(_path);
                }

                pending.Write(line);
            }

            ticket = file.Write(pending.WrittenSpan);
        }

        Commit(file, ticket);
    }

    private void Rotate()
    {
        if (backups == 0)
        {
            File.Delete(_path);
            return;
        }

        File.Delete($"{_path}.{backups}");
        for (var n = backups - 1; n >= 1; n--)
        {
            if (File.Exists($"{_path}.{n}"))
            {
                File.Move($"{_path}.{n}", $"{_path}.{n + 1}");
            }
        }

        File.Move(_path, $"{_path}.1");
    }
}
