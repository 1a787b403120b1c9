using System.Diagnostics;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Import;
using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Verify;

/// <summary>
/// Files against database, per kind. Both sides are streamed into a scratch index on disk (key and content hash
/// per record) and compared there, so memory stays bounded at millions of lines. The file side is read exactly as
/// import reads it, so a line's key is the one it was imported under.
/// </summary>
internal sealed class Verifier(ToolSettings settings, MigrationDatabase store, int show, string scratchFolder)
{
    public async Task<VerifyReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var differences = new List<Finding>();
        var databaseOnly = new List<Finding>();
        var usersFile = settings.Storage.ResolvedUsersFile;
        var fileUsers = UsersFile.Load(usersFile);
        var badNames = fileUsers.Keys.Where(name => !UsernameRule.IsPrintable(name)).ToList();
        badNames.ForEach(name => fileUsers.Remove(name)); // import rejects them; they count with the rejected lines
        var users = await new UserComparison(store, usersFile, show).CompareAsync(fileUsers, differences, databaseOnly, cancellationToken);

        using var scratch = new ScratchIndex(scratchFolder);
        var pruned = new long[3];
        var floor = await store.RetentionFloorAsync(cancellationToken);
        var (rejected, journalWrites) = FileRecords.Load(settings, scratch, includeJournal: true, cancellationToken, floor, pruned);
        var content = new RecordContent();
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            await foreach (var (e, sourceKey) in store.StreamEventsAsync(kind, cancellationToken))
            {
                scratch.AddDatabaseRecord((int)kind, RecordContent.Key(e.Id, sourceKey), content.Hash(e), e.Id);
            }
        }

        scratch.Seal();
        List<KindComparison> kinds = [users, .. Enum.GetValues<EventKind>().Select(k => EventComparison.Compare(scratch, k, show, differences, databaseOnly) with { Pruned = pruned[(int)k] })];
        return new VerifyReport(kinds.All(k => k.Clean), kinds, differences, databaseOnly, rejected + badNames.Count, journalWrites, clock.Elapsed.TotalSeconds);
    }
}
