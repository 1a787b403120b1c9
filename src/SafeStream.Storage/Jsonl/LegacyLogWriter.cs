using System.Buffers;
using System.Text;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Appends events to <c>logs/chat_YYYY-MM-DD.jsonl</c> as the legacy writer did: the date is the UTC date the
/// process started, and before a write would take the file to the size limit it is rotated to <c>.1</c> … <c>.N</c>.
/// Other processes append to the same logs (a second instance, <c>export</c>, the legacy service), so every append
/// and rotation happens under <see cref="LockName"/>, writes are in append mode, and the size is the file's own.
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
    /// <summary>The lock file every SafeStream process takes around an append to a log in that folder.</summary>
    public const string LockName = ".append.lock";

    private readonly string _path = Path.Combine(directory, LogFiles.NameFor(startDate));
    private readonly CrossProcessLock _appendLock = new(Path.Combine(directory, LockName));

    public string CurrentPath => _path;

    /// <summary>Appends the events, one line each, and completes once they are durable.</summary>
    public Task AppendAsync(IReadOnlyList<StorageEvent> events)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
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
            using var held = _appendLock.Hold();
            file = Open();
            var size = file.Refresh();
            foreach (var line in lines)
            {
                if (size > 0 && size + line.Length > maxBytes)
                {
                    if (pending.WrittenCount > 0)
                    {
                        file.Write(pending.WrittenSpan);
                        pending.ResetWrittenCount();
                    }

                    Retire(file);
                    Rotate();
                    file = Current = Opened(_path);
                    size = 0;
                }

                pending.Write(line);
                size += line.Length;
            }

            ticket = file.Write(pending.WrittenSpan);
        }

        return CommitAsync(file, ticket);
    }

    protected override void DisposeMore() => _appendLock.Dispose();

    /// <summary>The open log, opened again when another process rotated it away since our last append.</summary>
    private AppendFile Open()
    {
        if (Current is { StillAtPath: false } moved)
        {
            Retire(moved);
            Current = null;
        }

        return Current ??= Opened(_path);
    }

    // A last line cut short by a crash (ours or another writer's) is ended first, so ours is not glued to it.
    private static AppendFile Opened(string path)
    {
        var file = new AppendFile(path);
        if (file.Length > 0 && LastByte(path, file.Length) != '\n')
        {
            file.Write("\n"u8);
        }

        return file;
    }

    private static int LastByte(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(handle, last, length - 1) == 1 ? last[0] : '\n';
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
        DirectorySync.Flush(directory);
    }
}
