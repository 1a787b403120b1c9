using System.Text;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.Journal;

/// <summary>
/// Where writes spill while the database is down: append-only segments <c>journal-NNNNNNNN.jsonl</c> and a
/// checkpoint. The replayer reads from the checkpoint, commits to the database, then advances the checkpoint,
/// so a crash in between replays a batch again, which the ids make harmless. Fully replayed segments are deleted.
/// One process owns a journal folder (the lock <see cref="LockName"/>, held for the life of the process): only the
/// owner appends, moves the checkpoint or deletes; anyone may read. The backlog is counted from what is on disk.
/// </summary>
internal sealed partial class SpillJournal : DurableWriter
{
    public const string LockName = "journal.lock";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SegmentLines _lines = new();
    private Checkpoint _checkpoint = Checkpoint.Start;
    private long _nextSegment;
    private ProcessLease? _lease;
    private long _appends;
    private long _appendsWhenEmpty;

    public SpillJournal(string directory, FsyncPolicy policy, int intervalMs, TimeProvider time, ILogger<SpillJournal> logger, long segmentBytes = 64L << 20)
        : base(policy, intervalMs, time)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _time = time;
        _logger = logger;

        // The folder appears when its owner claims it: a deployment that retired its files has none.
        Load();
        _appends = Backlog > 0 ? 1 : 0;
    }

    /// <summary>Records on disk after the checkpoint: written and not yet replayed.</summary>
    public long Backlog
    {
        get
        {
            var checkpoint = Volatile.Read(ref _checkpoint);
            return _lines.After(Segments(), checkpoint.Segment, checkpoint.LinesBefore, SegmentPath);
        }
    }

    /// <summary>A cheap hint for hot paths: false only while nothing was appended since the backlog was last seen empty.</summary>
    public bool MayHaveBacklog => Volatile.Read(ref _appends) != Volatile.Read(ref _appendsWhenEmpty);

    public bool IsOwned => Volatile.Read(ref _lease) is not null;

    /// <summary>
    /// Takes the folder for this process (it keeps it until it exits). Throws <see cref="JournalOwnedException"/>
    /// naming the folder and its owner when another process (or another journal in this one) holds it.
    /// </summary>
    public void Claim()
    {
        lock (WriteLock)
        {
            if (_lease is not null)
            {
                return;
            }

            SecureFiles.CreateDirectory(_directory);
            var lockPath = Path.Combine(_directory, LockName);
            _lease = ProcessLease.TryAcquire(lockPath, _time) ?? throw new JournalOwnedException(
                $"the journal folder {Path.GetFullPath(_directory)} belongs to another process ({ProcessLease.Holder(lockPath)}); " +
                "only its owner may write or replay it. Give this process a journal of its own (Storage:JournalPath) or stop the other one.");

            // Until now another owner may have appended or moved the checkpoint.
            Load();
            if (Backlog > 0)
            {
                Interlocked.Increment(ref _appends);
            }
        }
    }

    /// <summary>Appends the writes and completes once they are durable; claims the folder first if this process does not own it yet.</summary>
    public Task AppendAsync(IReadOnlyList<WriteOp> ops)
    {
        var sb = new StringBuilder();
        foreach (var op in ops)
        {
            foreach (var line in JournalLines.Format(op))
            {
                sb.Append(line).Append('\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        AppendFile file;
        long ticket;
        lock (WriteLock)
        {
            Claim();
            if (Current is { } full && full.Length >= _segmentBytes)
            {
                Retire(full);
                Current = null;
            }

            file = Current ??= new AppendFile(SegmentPath(_nextSegment++));
            ticket = file.Write(bytes);
            Interlocked.Increment(ref _appends);
        }

        return CommitAsync(file, ticket);
    }

    /// <summary>Moves the checkpoint past a batch read from it that is now in the database, and deletes what was fully replayed.</summary>
    public void Complete(JournalBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Checkpoint next;
        lock (WriteLock)
        {
            Claim();
            var current = _checkpoint;
            next = new Checkpoint(
                batch.Next,
                batch.Next.Segment == current.Segment ? current.LinesBefore + batch.RecordsInLastSegment : batch.RecordsInLastSegment);
            if (Current is { } live && SegmentPath(next.Segment) == live.Path && live.Length == next.Offset)
            {
                // Caught up with the live segment: close it so it can go, the next spill opens a new one.
                Retire(live);
                Current = null;
                next = new Checkpoint(new JournalPosition(_nextSegment, 0), 0);
            }

            next.SaveIn(_directory);
            Volatile.Write(ref _checkpoint, next);
            var open = Current?.Path;
            foreach (var segment in Segments().Where(s => s < next.Segment && SegmentPath(s) != open))
            {
                File.Delete(SegmentPath(segment));
            }
        }
    }

    /// <summary>
    /// Tells the hint that the backlog was found empty after <paramref name="appendsBefore"/> appends
    /// (read <see cref="AppendCount"/> before measuring, so an append during the measurement keeps the hint up).
    /// </summary>
    public void SeenEmpty(long appendsBefore) => Interlocked.Exchange(ref _appendsWhenEmpty, appendsBefore);

    public long AppendCount => Volatile.Read(ref _appends);

    /// <summary>Writes a checkpoint where none is yet: the folder then tells later starts that this deployment has a database.</summary>
    public void MarkStarted()
    {
        lock (WriteLock)
        {
            Claim();
            if (!Checkpoint.ExistsIn(_directory))
            {
                _checkpoint.SaveIn(_directory);
            }
        }
    }

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint (so a database was used with it before).</summary>
    public static bool HasCheckpoint(string directory) => Checkpoint.ExistsIn(directory);

    protected override void DisposeMore()
    {
        Interlocked.Exchange(ref _lease, null)?.Dispose();
    }

    private void Load()
    {
        var checkpoint = Checkpoint.Load(_directory);
        var segments = Segments();
        if (segments.Count > 0 && segments[0] > checkpoint.Segment)
        {
            checkpoint = new Checkpoint(new JournalPosition(segments[0], 0), 0);
        }

        Volatile.Write(ref _checkpoint, checkpoint);

        // Appends always start a fresh segment, so a line torn by a crash is never continued.
        _nextSegment = Math.Max(checkpoint.Segment, segments.Count > 0 ? segments[^1] : 0) + 1;
    }

    private List<long> Segments() => SegmentFiles.In(_directory);

    private string SegmentPath(long segment) => SegmentFiles.PathOf(_directory, segment);
}
