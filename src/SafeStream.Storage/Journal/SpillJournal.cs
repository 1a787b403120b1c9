using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Journal;

/// <summary>A place in the journal: a segment number and a byte offset in it.</summary>
internal readonly record struct JournalPosition(long Segment, long Offset);

/// <summary>Writes read from the journal, and where the next read starts once they are in the database.</summary>
internal sealed record JournalBatch(IReadOnlyList<WriteOp> Ops, int Records, JournalPosition Next);

/// <summary>
/// Where writes spill while the database is down: append-only segments <c>journal-NNNNNNNN.jsonl</c> and a
/// checkpoint. The replayer reads from the checkpoint, commits to the database, then advances the checkpoint,
/// so a crash in between replays a batch again, which the ids make harmless. Fully replayed segments are deleted.
/// </summary>
internal sealed partial class SpillJournal : DurableWriter
{
    private const string CheckpointName = "checkpoint.json";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private JournalPosition _checkpoint;
    private long _nextSegment;
    private long _backlog;

    public SpillJournal(string directory, FsyncPolicy policy, int intervalMs, TimeProvider time, ILogger<SpillJournal> logger, long segmentBytes = 64L << 20)
        : base(policy, intervalMs, time)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _logger = logger;

        // The folder appears with the first spill: a deployment that never spills (or retired its files) has none.
        _checkpoint = LoadCheckpoint();
        var segments = Segments();
        if (segments.Count > 0 && segments[0] > _checkpoint.Segment)
        {
            _checkpoint = new JournalPosition(segments[0], 0);
        }

        // Appends always start a fresh segment, so a line torn by a crash is never continued.
        _nextSegment = Math.Max(_checkpoint.Segment, segments.Count > 0 ? segments[^1] : 0) + 1;
        _backlog = CountFrom(_checkpoint);
    }

    /// <summary>Records written and not yet replayed.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    public string DirectoryPath => _directory;

    /// <summary>Appends the writes and returns once they are durable.</summary>
    public void Append(IReadOnlyList<WriteOp> ops)
    {
        var sb = new StringBuilder();
        var records = 0;
        foreach (var op in ops)
        {
            foreach (var line in JournalLines.Format(op))
            {
                sb.Append(line).Append('\n');
                records++;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        AppendFile file;
        long ticket;
        lock (WriteLock)
        {
            if (Current is { } full && full.Length >= _segmentBytes)
            {
                Retire(full);
                Current = null;
            }

            file = Current ??= new AppendFile(SegmentPath(_nextSegment++));
            ticket = file.Write(bytes);
            Interlocked.Add(ref _backlog, records);
        }

        Commit(file, ticket);
    }

    /// <summary>Reads up to <paramref name="maxRecords"/> complete records after the checkpoint.</summary>
    /// <summary>Reads up to <paramref name="maxRecords"/> from the checkpoint, or from where a batch not completed yet ends.</summary>
    public JournalBatch Read(int maxRecords, JournalPosition? from = null)
    {
        var reading = new BatchBuilder();
        var position = from ?? _checkpoint;
        var segments = Segments();
        foreach (var segment in segments.Where(s => s >= position.Segment))
        {
            var isLast = segment == segments[^1];
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
            if (reading.Records >= maxRecords || isLast)
            {
                break;
            }
        }

        return new JournalBatch(reading.Build(), reading.Records, position);
    }

    /// <summary>The events of every segment still on disk, oldest first, for reads from the files during an outage.</summary>
    public IEnumerable<Model.StorageEvent> Events() =>
        Segments().SelectMany(segment => LegacyLogReader.ReadFile(SegmentPath(segment)))
            .Select(line => line.Event)
            .OfType<Model.StorageEvent>();

    /// <summary>Moves the checkpoint past a batch that is now in the database and deletes what was fully replayed.</summary>
    public void Complete(JournalBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var next = batch.Next;
        lock (WriteLock)
        {
            if (Current is { } current && SegmentPath(next.Segment) == current.Path && current.Length == next.Offset)
            {
                // Caught up with the live segment: close it so it can go, the next spill opens a new one.
                Retire(current);
                Current = null;
                next = new JournalPosition(_nextSegment, 0);
            }

            SaveCheckpoint(next);
            _checkpoint = next;
            Interlocked.Add(ref _backlog, -batch.Records);
        }

        foreach (var segment in Segments().Where(s => s < next.Segment))
        {
            File.Delete(SegmentPath(segment));
        }
    }

    private long CountFrom(JournalPosition from)
    {
        long count = 0;
        foreach (var segment in Segments().Where(s => s >= from.Segment))
        {
            using var reader = new LineReader(OpenRead(SegmentPath(segment)), segment == from.Segment ? from.Offset : 0);
            while (reader.TryRead(out var line, out var terminated))
            {
                count += terminated && !line.IsEmpty ? 1 : 0;
            }
        }

        return count;
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

    private JournalPosition LoadCheckpoint()
    {
        var path = Path.Combine(_directory, CheckpointName);
        if (!File.Exists(path))
        {
            return new JournalPosition(0, 0);
        }

        try
        {
            var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.CheckpointDto);
            return dto is null ? throw new CorruptFileException(path, "null checkpoint") : new JournalPosition(dto.Segment, dto.Offset);
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not a journal checkpoint ({ex.Message})", ex);
        }
    }

    private void SaveCheckpoint(JournalPosition position) =>
        AtomicFile.Write(
            Path.Combine(_directory, CheckpointName),
            JsonSerializer.SerializeToUtf8Bytes(new CheckpointDto { Segment = position.Segment, Offset = position.Offset }, CheckpointJsonContext.Default.CheckpointDto));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {File} line {Line} is cut short (a crash during a write); skipped")]
    private static partial void LogTornLine(ILogger logger, string file, long line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal {File} line {Line} cannot be replayed: {Reason}")]
    private static partial void LogBadLine(ILogger logger, string file, long line, string? reason);
}

/// <summary>Collects replayed writes, running consecutive events together into one insert.</summary>
internal sealed class BatchBuilder
{
    private readonly List<WriteOp> _ops = [];
    private List<Model.StorageEvent>? _events;

    public int Records { get; private set; }

    /// <summary>Counts a record; a null op (a line that could not be parsed) is counted and dropped.</summary>
    public void Add(WriteOp? op)
    {
        Records++;
        switch (op)
        {
            case null:
                return;
            case AppendEvents { SourceKeys: null } append:
                (_events ??= []).AddRange(append.Events);
                return;
            default:
                FlushEvents();
                _ops.Add(op);
                return;
        }
    }

    public IReadOnlyList<WriteOp> Build()
    {
        FlushEvents();
        return _ops;
    }

    private void FlushEvents()
    {
        if (_events is { Count: > 0 })
        {
            _ops.Add(new AppendEvents(_events));
            _events = null;
        }
    }
}

internal sealed class CheckpointDto
{
    [JsonPropertyName("segment")]
    public long Segment { get; set; }

    [JsonPropertyName("offset")]
    public long Offset { get; set; }
}

[JsonSerializable(typeof(CheckpointDto))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
