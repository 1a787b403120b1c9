using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.Journal;

/// <summary>A place in the journal: a segment number and a byte offset in it.</summary>
internal readonly record struct JournalPosition(long Segment, long Offset);

/// <summary>
/// Writes read from the journal, where the next read starts once they are in the database, and how many of the
/// records lie in the segment of <see cref="Next"/> (what the checkpoint needs to count the backlog from disk).
/// </summary>
internal sealed record JournalBatch(IReadOnlyList<WriteOp> Ops, int Records, JournalPosition Next, int RecordsInLastSegment);

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
    private const string CheckpointName = "checkpoint.json";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SegmentLines _lines = new();
    private Checkpoint _checkpoint = new(new JournalPosition(0, 0), 0);
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

            Directory.CreateDirectory(_directory);
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

    /// <summary>Reads up to <paramref name="maxRecords"/> from the checkpoint, or from where a batch not completed yet ends.</summary>
    public JournalBatch Read(int maxRecords, JournalPosition? from = null)
    {
        var reading = new BatchBuilder();
        var position = from ?? Volatile.Read(ref _checkpoint).Position;
        var segments = Segments();
        var inSegment = 0;
        foreach (var segment in segments.Where(s => s >= position.Segment))
        {
            var isLast = segment == segments[^1];
            var before = reading.Records;
            using var reader = new LineReader(OpenRead(SegmentPath(segment)), segment == position.Segment ? position.Offset : 0);
            var consumed = reader.Offset;
            while (reading.Records < maxRecords && reader.TryRead(out var line, out var terminated))
            {
                if (!terminated && isLast)
                {
                    break; // still being written, or torn by a crash: not ours to consume yet
                }

                if (!terminated)
                {
                    LogTornLine(_logger, SegmentPath(segment), reader.LineNumber);
                }
                else if (!line.IsEmpty)
                {
                    var (op, error) = JournalLines.Parse(line);
                    reading.Add(op);
                    if (op is null)
                    {
                        LogBadLine(_logger, SegmentPath(segment), reader.LineNumber, error);
                    }
                }

                consumed = reader.Offset;
            }

            position = new JournalPosition(segment, consumed);
            inSegment = reading.Records - before;
            if (reading.Records >= maxRecords || isLast)
            {
                break;
            }
        }

        return new JournalBatch(reading.Build(), reading.Records, position, inSegment);
    }

    /// <summary>The events of every segment still on disk, oldest first, for reads from the files during an outage.</summary>
    public IEnumerable<Model.StorageEvent> Events() =>
        Segments().SelectMany(segment => LegacyLogReader.ReadFile(SegmentPath(segment)))
            .Select(line => line.Event)
            .OfType<Model.StorageEvent>();

    /// <summary>The largest event id the journal holds (its segments are written in id order), or 0.</summary>
    public long MaxEventId() => Segments().Select(s => LegacyLogReader.MaxIdInTail(SegmentPath(s))).DefaultIfEmpty(0).Max();

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

            SaveCheckpoint(next);
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
            if (!File.Exists(Path.Combine(_directory, CheckpointName)))
            {
                SaveCheckpoint(_checkpoint);
            }
        }
    }

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint (so a database was used with it before).</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(Path.Combine(directory, CheckpointName));

    protected override void DisposeMore()
    {
        Interlocked.Exchange(ref _lease, null)?.Dispose();
    }

    private void Load()
    {
        var checkpoint = LoadCheckpoint();
        var segments = Segments();
        if (segments.Count > 0 && segments[0] > checkpoint.Segment)
        {
            checkpoint = new Checkpoint(new JournalPosition(segments[0], 0), 0);
        }

        Volatile.Write(ref _checkpoint, checkpoint);

        // Appends always start a fresh segment, so a line torn by a crash is never continued.
        _nextSegment = Math.Max(checkpoint.Segment, segments.Count > 0 ? segments[^1] : 0) + 1;
    }

    private List<long> Segments() => !Directory.Exists(_directory) ? [] :
        [.. Directory.EnumerateFiles(_directory, "journal-*.jsonl")
            .Select(p => Path.GetFileNameWithoutExtension(p)["journal-".Length..])
            .Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1)
            .Where(s => s >= 0)
            .Order()];

    private string SegmentPath(long segment) =>
        Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"journal-{segment:D8}.jsonl"));

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

    private Checkpoint LoadCheckpoint()
    {
        var path = Path.Combine(_directory, CheckpointName);
        if (!File.Exists(path))
        {
            return new Checkpoint(new JournalPosition(0, 0), 0);
        }

        try
        {
            var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.CheckpointDto)
                ?? throw new CorruptFileException(path, "null checkpoint");
            var position = new JournalPosition(dto.Segment, dto.Offset);

            // A checkpoint written before it counted lines: count the replayed ones in its segment once.
            return new Checkpoint(position, dto.Lines ?? SegmentLines.Count(SegmentPath(dto.Segment), 0, dto.Offset).Lines);
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not a journal checkpoint ({ex.Message})", ex);
        }
    }

    private void SaveCheckpoint(Checkpoint checkpoint) =>
        AtomicFile.Write(
            Path.Combine(_directory, CheckpointName),
            JsonSerializer.SerializeToUtf8Bytes(
                new CheckpointDto { Segment = checkpoint.Segment, Offset = checkpoint.Offset, Lines = checkpoint.LinesBefore },
                CheckpointJsonContext.Default.CheckpointDto));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {File} line {Line} is cut short (a crash during a write); skipped")]
    private static partial void LogTornLine(ILogger logger, string file, long line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal {File} line {Line} cannot be replayed: {Reason}")]
    private static partial void LogBadLine(ILogger logger, string file, long line, string? reason);

    /// <summary>The checkpoint: where replay resumes, and how many records of its segment lie before it.</summary>
    private sealed record Checkpoint(JournalPosition Position, long LinesBefore)
    {
        public long Segment => Position.Segment;

        public long Offset => Position.Offset;
    }
}

/// <summary>Another process owns the journal folder; its message names the folder and the owner.</summary>
internal sealed class JournalOwnedException(string message) : IOException(message);

internal sealed class CheckpointDto
{
    [JsonPropertyName("segment")]
    public long Segment { get; set; }

    [JsonPropertyName("offset")]
    public long Offset { get; set; }

    [JsonPropertyName("lines")]
    public long? Lines { get; set; }
}

[JsonSerializable(typeof(CheckpointDto))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
