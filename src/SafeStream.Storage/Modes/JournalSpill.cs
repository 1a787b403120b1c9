using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Writes the database could not take go to the journal, and become visible to the reads that answer from the files
/// meanwhile (<see cref="View"/>: the legacy logs and what spilled). Phase F has no journal: a spill is then an error.
/// </summary>
internal sealed class JournalSpill(SpillJournal journal, string logsPath, OutageStatus status, bool retired)
{
    public SpillJournal Journal => journal;

    /// <summary>Phase F: the legacy files, the journal among them, are retired; nothing may create or own a journal.</summary>
    public bool Retired => retired;

    /// <summary>What reads answer from while the database is down.</summary>
    public FileIndex View { get; } = new(() => LegacyLogReader.Events(logsPath).Concat(journal.Events()));

    /// <summary>
    /// Makes sure the journal can take a write before anything else changes for it (users.json, settings.json): a
    /// write that cannot be journalled must change nothing. Throws like <see cref="WriteAsync"/>.
    /// </summary>
    public void EnsureReady(Exception cause) => Journalling(cause, () =>
    {
        journal.Claim();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    /// <summary>Journals writes the database could not take (durable when this completes).</summary>
    public async Task WriteAsync(IReadOnlyList<WriteOp> ops, Exception cause)
    {
        await Journalling(cause, () => journal.AppendAsync(ops));
        foreach (var op in ops)
        {
            if (op is AppendEvents append)
            {
                View.Add(append.Events);
            }
        }

        status.Failed(cause);
    }

    private async Task Journalling(Exception cause, Func<Task> action)
    {
        if (retired)
        {
            throw new StorageUnavailableException($"The database is unavailable ({cause.Message}) and the legacy files, the journal among them, are retired.", cause);
        }

        try
        {
            await action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            status.Failed(ex);
            throw new StorageUnavailableException($"The database is unavailable ({cause.Message}) and the journal cannot be written ({ex.Message}).", ex);
        }
    }
}
