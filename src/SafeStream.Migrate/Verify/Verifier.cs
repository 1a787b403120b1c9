using System.Diagnostics;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Import;
using SafeStream.Migrate.Legacy;
using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Verify;

/// <summary>
/// Files against database, per kind. Both sides are streamed into a scratch index on disk (key and content hash
/// per record) and compared there, so memory stays bounded at millions of lines. The file side is read exactly as
/// import reads it, so a line's key is the one it was imported under.
/// </summary>
internal sealed class Verifier(ToolSettings settings, DbStore store, int show, string scratchFolder)
{
    public async Task<VerifyReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var differences = new List<Finding>();
        var databaseOnly = new List<Finding>();
        var usersFile = settings.Storage.ResolvedUsersFile;
        var users = await new UserComparison(store, usersFile, show)
            .CompareAsync(UsersFile.Load(usersFile), differences, databaseOnly, cancellationToken);

        using var scratch = new ScratchIndex(scratchFolder);
        var (rejected, journalWrites) = LoadFiles(scratch, cancellationToken);
        var content = new RecordContent();
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            await foreach (var (e, sourceKey) in store.StreamEventsAsync(kind, cancellationToken))
            {
                scratch.AddDatabaseRecord((int)kind, RecordContent.Key(e.Id, sourceKey), content.Hash(e), e.Id);
            }
        }

        scratch.Seal();
        List<KindComparison> kinds = [users, .. Enum.GetValues<EventKind>().Select(k => EventComparison.Compare(scratch, k, show, differences, databaseOnly))];
        return new VerifyReport(kinds.All(k => k.Clean), kinds, differences, databaseOnly, rejected, journalWrites, clock.Elapsed.TotalSeconds);
    }

    private (long Rejected, long JournalWrites) LoadFiles(ScratchIndex scratch, CancellationToken cancellationToken)
    {
        var files = new LegacyFiles(settings.Storage, includeJournal: true);
        var content = new RecordContent();
        var paths = new Dictionary<string, long>(StringComparer.Ordinal);
        long rejected = 0, journalWrites = 0, lines = 0;
        foreach (var record in files.Records())
        {
            if ((++lines & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (record.Kind)
            {
                case RecordKind.Event:
                    var e = record.Event;
                    if (!paths.TryGetValue(record.Line.File, out var path))
                    {
                        paths[record.Line.File] = path = scratch.AddPath(record.Line.File);
                    }

                    scratch.AddFileRecord((int)EventBatch.KindOf(e), RecordContent.Key(e.Id, record.SourceKey), content.Hash(e), path, record.Line.LineNumber, e.Id == 0 ? null : e.Id);
                    break;
                case RecordKind.JournalWrite:
                    journalWrites++;
                    break;
                default:
                    rejected++;
                    break;
            }
        }

        return (rejected, journalWrites);
    }
}
