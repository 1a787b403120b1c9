using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Resilient;

/// <summary>The parts every mode shares: both stores, the gate, the journal, and the counters behind the status.</summary>
internal sealed class RouterContext
{
    private long _dualWriteErrors;
    private long _shadowReads;
    private long _shadowMismatches;
    private volatile bool _readingFromFiles;
    private volatile string? _lastError;

    public RouterContext(JsonlStore files, DbStore db, DatabaseGate gate, SpillJournal journal, TimeProvider time, ILogger logger, TimeSpan appendBudget, bool journalRetired = false)
    {
        JournalRetired = journalRetired;
        AppendBudget = appendBudget;
        Files = files;
        Db = db;
        Gate = gate;
        Journal = journal;
        Time = time;
        Logger = logger;

        // During an outage reads come from the files: the legacy logs and what spilled into the journal.
        OutageView = new FileIndex(() => LegacyLogReader.Events(files.LogsPath).Concat(journal.Events()));
    }

    public JsonlStore Files { get; }

    public DbStore Db { get; }

    public DatabaseGate Gate { get; }

    public SpillJournal Journal { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Phase F: the legacy files, the journal among them, are retired; nothing may create or own a journal.</summary>
    public bool JournalRetired { get; }

    /// <summary>How long a DatabaseFirst write waits for the database before the journal takes it.</summary>
    public TimeSpan AppendBudget { get; }

    public FileIndex OutageView { get; }

    public KnownUsers Users { get; } = new();

    /// <summary>The last value of each setting seen in the database, served while it is down.</summary>
    public Dictionary<string, string> SettingsSeen { get; } = new(StringComparer.Ordinal);

    public long DualWriteErrors => Interlocked.Read(ref _dualWriteErrors);

    public long ShadowReads => Interlocked.Read(ref _shadowReads);

    public long ShadowMismatches => Interlocked.Read(ref _shadowMismatches);

    public bool ReadingFromFiles => _readingFromFiles;

    public string? LastError => _lastError;

    /// <summary>Raised after each shadow comparison in DualWrite, with whether the answers matched.</summary>
    public event Action<bool>? ShadowCompared;

    /// <summary>Raised by a DualWrite shadow read just before it asks the database (a seam for tests).</summary>
    public event Action? ShadowReading;

    /// <summary>Raised when a shadow read overlapped a write and so compared nothing.</summary>
    public event Action? ShadowSkipped;

    /// <summary>Raised after a spill, and after a database call succeeded while a backlog waits: the replayer listens.</summary>
    public event Action? ReplayWanted;

    /// <summary>
    /// Makes sure the journal can take a write before anything else changes for it (users.json, settings.json):
    /// a write that cannot be journalled must change nothing. Throws like <see cref="Spill"/>.
    /// </summary>
    public void ReadyToSpill(Exception cause) => Journalling(cause, () =>
    {
        Journal.Claim();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    /// <summary>Journals writes the database could not take, and makes them visible to reads from the files.</summary>
    public async Task SpillAsync(IReadOnlyList<WriteOp> ops, Exception cause)
    {
        await Journalling(cause, () => Journal.AppendAsync(ops));

        foreach (var op in ops)
        {
            if (op is AppendEvents append)
            {
                OutageView.Add(append.Events);
            }
        }

        Failed(cause);
    }

    private async Task Journalling(Exception cause, Func<Task> action)
    {
        if (JournalRetired)
        {
            throw new StorageUnavailableException($"The database is unavailable ({cause.Message}) and the legacy files, the journal among them, are retired.", cause);
        }

        try
        {
            await action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Failed(ex);
            throw new StorageUnavailableException($"The database is unavailable ({cause.Message}) and the journal cannot be written ({ex.Message}).", ex);
        }
    }

    public void DatabaseAnswered()
    {
        _readingFromFiles = false;
        if (Journal.MayHaveBacklog)
        {
            ReplayWanted?.Invoke();
        }
    }

    public void ReadFromFiles(Exception cause)
    {
        _readingFromFiles = true;
        Failed(cause);
    }

    public void DualWriteFailed(Exception cause)
    {
        Interlocked.Increment(ref _dualWriteErrors);
        Failed(cause);
    }

    public void ShadowReadStarting() => ShadowReading?.Invoke();

    public void ShadowInconclusive() => ShadowSkipped?.Invoke();

    public void Shadowed(bool matched)
    {
        Interlocked.Increment(ref _shadowReads);
        if (!matched)
        {
            Interlocked.Increment(ref _shadowMismatches);
        }

        ShadowCompared?.Invoke(matched);
    }

    public void Failed(Exception cause) => _lastError = $"{Time.GetUtcNow():O} {cause.GetType().Name}: {cause.Message}";

    public void RememberSetting(string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (SettingsSeen)
        {
            SettingsSeen[key] = value;
        }
    }

    public string? SeenSetting(string key)
    {
        lock (SettingsSeen)
        {
            return SettingsSeen.GetValueOrDefault(key);
        }
    }
}
