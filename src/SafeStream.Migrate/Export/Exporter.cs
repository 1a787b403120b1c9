using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Verify;
using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Export;

/// <summary>What a rollback export wrote back into the legacy files.</summary>
internal sealed record ExportSummary(long Users, long Chat, long Gifts, long AdminActions, string UsersFile, string LogFile);

/// <summary>
/// The way back to files after DatabaseFirst: every record only the database holds (registrations, chat, gifts and
/// moderator actions written while the database was first) is written into the legacy files in the legacy formats,
/// events with their ids, so a later import recognises them and inserts nothing twice.
/// </summary>
internal sealed class Exporter(ToolSettings settings, MigrationDatabase store, TimeProvider time, string scratchFolder)
{
    private const int AppendBatch = 1000;

    public async Task<ExportSummary> RunAsync(CancellationToken cancellationToken)
    {
        var usersPath = Path.GetFullPath(settings.Storage.ResolvedUsersFile);
        var added = await AddUsersAsync(usersPath, cancellationToken);

        using var scratch = new ScratchIndex(scratchFolder);
        // The file store reads the logs, never the journal: a journalled event is exported into the logs too.
        FileRecords.Load(settings, scratch, includeJournal: false, cancellationToken);
        scratch.Seal();

        // Appended as the server appends (its lock, append mode, rotation), so a running writer and export never overwrite each other.
        using var log = new LegacyLogAppender(settings.Storage, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var counts = new long[3];
        var pending = new List<StorageEvent>(AppendBatch);
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            await foreach (var (e, sourceKey) in store.StreamEventsAsync(kind, cancellationToken))
            {
                if (!scratch.HasFileRecord((int)kind, RecordContent.Key(e.Id, sourceKey)))
                {
                    pending.Add(e);
                    counts[(int)kind]++;
                    if (pending.Count == AppendBatch)
                    {
                        await log.AppendAsync(pending);
                        pending.Clear();
                    }
                }
            }
        }

        await log.AppendAsync(pending);
        return new ExportSummary(added, counts[0], counts[1], counts[2], usersPath, log.Path);
    }

    /// <summary>The accounts only the database holds, added to users.json under the lock every process takes for it.</summary>
    private async Task<int> AddUsersAsync(string usersPath, CancellationToken cancellationToken)
    {
        var fromDatabase = new List<User>();
        await foreach (var user in store.StreamUsersAsync(cancellationToken))
        {
            fromDatabase.Add(user);
        }

        using var held = FileLocks.UsersFile(usersPath);
        var fileUsers = UsersFile.Load(usersPath);
        var added = fromDatabase.Where(u => !fileUsers.ContainsKey(u.Username)).ToList();
        if (added.Count > 0)
        {
            // Atomic replacement: a crash leaves the old file or the new one, never a torn users.json.
            UsersFile.Save(usersPath, [.. fileUsers.Values, .. added]);
        }

        return added.Count;
    }
}
