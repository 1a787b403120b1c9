using SafeStream.Storage.Journal;

namespace SafeStream.Storage.Modes;

/// <summary>
/// What the operator sees of outages: the last storage failure and whether reads come from the files. Each answer
/// of the database while journalled writes wait asks for a replay.
/// </summary>
internal sealed class OutageStatus(TimeProvider time, SpillJournal journal, ReplaySignal replay)
{
    private volatile bool _readingFromFiles;
    private volatile string? _lastError;

    public bool ReadingFromFiles => _readingFromFiles;

    public string? LastError => _lastError;

    public void Failed(Exception cause) => _lastError = $"{time.GetUtcNow():O} {cause.GetType().Name}: {cause.Message}";

    public void ReadFromFiles(Exception cause)
    {
        _readingFromFiles = true;
        Failed(cause);
    }

    public void DatabaseAnswered()
    {
        _readingFromFiles = false;
        if (journal.MayHaveBacklog)
        {
            replay.Request();
        }
    }
}
