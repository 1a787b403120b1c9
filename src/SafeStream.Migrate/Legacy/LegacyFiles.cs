using SafeStream.Storage;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Legacy;

/// <summary>
/// The legacy records in import order: every chat log, oldest record first (the storage layer's order), then the
/// server's journal segments. Import and verify both read through here, so both derive the same source keys.
/// The file list is taken once, up front, so progress can be measured against its total size.
/// </summary>
internal sealed class LegacyFiles
{
    private readonly Dictionary<string, long> _sizes;
    private long _doneBytes;
    private long _doneLines;
    private string? _current;
    private long _currentLines;

    public LegacyFiles(StorageOptions options, bool includeJournal)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Full paths: they end up in the rejects file and in verify's findings, read later from anywhere.
        Logs = LogFiles.OldestFirst(Path.GetFullPath(options.ResolvedLogsPath));
        Journal = includeJournal ? JournalFiles.Segments(Path.GetFullPath(options.ResolvedJournalPath)) : [];
        _sizes = Logs.Concat(Journal).ToDictionary(f => f, Size);
        TotalBytes = _sizes.Values.Sum();
    }

    public IReadOnlyList<string> Logs { get; }

    public IReadOnlyList<string> Journal { get; }

    public long TotalBytes { get; }

    /// <summary>
    /// Roughly how far the reading got: whole files done, plus the current file's lines at the average line size so
    /// far (the reader does not expose offsets, and a file is at most 10 MiB, so the guess never strays far).
    /// </summary>
    public long BytesRead
    {
        get
        {
            if (_current is null)
            {
                return _doneBytes;
            }

            var perLine = _doneLines > 0 ? (double)_doneBytes / _doneLines : 150;
            return _doneBytes + Math.Min(_sizes[_current], (long)(_currentLines * perLine));
        }
    }

    public IEnumerable<LegacyRecord> Records()
    {
        // Every log line's hash goes through the key sequence, rejected lines too, so a key depends only on the
        // bytes of the files, never on what this version of the parser accepts.
        var keys = new SourceKeys();
        foreach (var line in Logs.SelectMany(file => LegacyLogReader.ReadFile(file, hashes: true)))
        {
            Advance(line.File);
            var key = keys.Next(line.Hash!, line.Event?.Ts);
            yield return line switch
            {
                { Event: { } e } when !StoredText.CanStore(e) => WithNulReplaced(line, e.Id == 0 ? key : null),
                { Event.Id: not 0 } => new LegacyRecord(line, RecordKind.Event, null, null),
                { Event: not null } => new LegacyRecord(line, RecordKind.Event, key, null),
                _ => new LegacyRecord(line, RecordKind.Rejected, null, line.Error),
            };
        }

        foreach (var line in Journal.SelectMany(file => LegacyLogReader.ReadFile(file)))
        {
            Advance(line.File);
            var (kind, error) = JournalFiles.Classify(line);
            yield return kind switch
            {
                JournalLineKind.Event when !StoredText.CanStore(line.Event!) => WithNulReplaced(line, null),
                JournalLineKind.Event => new LegacyRecord(line, RecordKind.Event, null, null),
                JournalLineKind.Write => new LegacyRecord(line, RecordKind.JournalWrite, null, null),
                _ => new LegacyRecord(line, RecordKind.Rejected, null, error),
            };
        }

        Advance(null);
    }

    /// <summary>
    /// Legacy history with U+0000 in a message is kept with U+FFFD in its place (<see cref="StoredText"/>); import and
    /// verify both read through here, so verify compares the file's line with the same mapping the import stored.
    /// </summary>
    private static LegacyRecord WithNulReplaced(LogLine line, byte[]? key) =>
        StoredText.WithNulReplaced(line.Event!) is { } mapped
            ? new LegacyRecord(line with { Event = mapped }, RecordKind.Event, key, null, NulReplaced: true)
            : new LegacyRecord(line, RecordKind.Rejected, null, StoredText.NulReason);

    private static long Size(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0; // rotated away since the listing
        }
    }

    private void Advance(string? file)
    {
        if (file != _current)
        {
            if (_current is not null)
            {
                _doneBytes += _sizes[_current];
                _doneLines += _currentLines;
            }

            _current = file;
            _currentLines = 0;
        }

        _currentLines++;
    }
}
