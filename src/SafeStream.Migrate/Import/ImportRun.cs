using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Legacy;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Import;

/// <summary>What <c>import</c> was asked to do.</summary>
internal sealed record ImportRequest(int BatchSize, bool DryRun, bool Backup, bool Journal, ConflictPolicy Conflicts, bool Quiet);

/// <summary>
/// One import: lock, backup, users, then every log line oldest first, then the journal. Each step is safe to repeat,
/// so a run that stops anywhere (error, Ctrl+C, kill -9) is finished by running it again.
/// </summary>
internal sealed class ImportRun(ToolSettings settings, ImportRequest request, ToolConsole console, TimeProvider time, ILoggerFactory loggers)
{
    public async Task<ImportSummary> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);

        // Read before anything is written: a corrupt users.json stops the run here, naming the file.
        var fileUsers = UsersFile.Load(settings.Storage.ResolvedUsersFile);
        var files = new LegacyFiles(settings.Storage, request.Journal);
        using var rejects = new RejectsFile(Path.GetFullPath(Path.Combine(settings.BackupsPath, $"rejects-{stamp}{(request.DryRun ? "-dry-run" : "")}.jsonl")));

        // A name with a control character ("alice\n", which the legacy rule let through) is shown as another's and
        // forges log lines: it is not imported. Other legacy names outside the rule (José) keep their accounts.
        foreach (var name in fileUsers.Keys.Where(name => !UsernameRule.IsPrintable(name)).ToList())
        {
            fileUsers.Remove(name);
            rejects.Write(new RejectEntry(settings.Storage.ResolvedUsersFile, 0, "the username holds a control character (a newline?); rename the account in users.json", name));
        }

        using var importLock = request.DryRun ? null : ToolLock.Acquire(settings.LockPath, "import");
        await using var store = request.DryRun ? null : MigrationDatabase.Open(settings.Storage, time, loggers, DatabaseCreation.OnFirstStart);

        // The database is made (first start only) and migrated before the lease: on PostgreSQL the lease is an
        // advisory lock held by a connection to that very database, which fails (3D000) while it does not exist.
        var existed = store is not null && await settings.DatabaseExistsAsync(cancellationToken);
        if (store is not null)
        {
            await store.EnsureReadyAsync(cancellationToken);
        }

        // An instance number of its own while it runs: ids never meet a server's, or another tool's.
        using var lease = request.DryRun ? null : InstanceLease.ForTool(settings.Storage, time);
        string? backup = null;
        var users = new UserCounts(fileUsers.Count, 0, 0, 0, 0, 0, []);
        var floor = store is null ? null : await store.RetentionFloorAsync(cancellationToken);
        var ids = lease is null ? new EventIdGenerator(time, EventIdGenerator.FirstToolInstance) : new EventIdGenerator(time, lease);
        if (store is not null)
        {
            backup = existed ? await BackupAsync(store, stamp, cancellationToken) : null; // a database just made holds nothing to protect

            // Never reuse an id already stored, even if the clock went back since an earlier run.
            ids.AdvancePast(await store.MaxEventIdAsync(cancellationToken));
            users = await new UserImporter(store, request.Conflicts, time).RunAsync(fileUsers, cancellationToken);
        }

        var (completed, events) = await ImportProgress.RunAsync(console, files.TotalBytes, request.Quiet, time, async sink =>
        {
            var importer = new EventImporter(store, ids, request.BatchSize, rejects, sink, floor) { ShareWithServer = SharesTheWriteLock(settings.Storage) };
            var done = await importer.RunAsync(files, cancellationToken);
            return (done, importer);
        });

        var seconds = clock.Elapsed.TotalSeconds;
        return new ImportSummary
        {
            DryRun = request.DryRun,
            Completed = completed,
            Users = users,
            Events = events.Counts(),
            Rejected = rejects.Count,
            JournalWritesLeft = events.JournalWritesLeft,
            RejectsFile = rejects.Path,
            Backup = backup,
            Files = files.Logs.Count + files.Journal.Count,
            Bytes = files.TotalBytes,
            Lines = events.Lines,
            Seconds = seconds,
            LinesPerSecond = events.Lines / Math.Max(seconds, 0.001),
            PeakWorkingSetBytes = PeakWorkingSet(),
        };
    }

    private async Task<string?> BackupAsync(MigrationDatabase store, string stamp, CancellationToken cancellationToken)
    {
        if (!request.Backup)
        {
            return null;
        }

        if (settings.Storage.Provider != DatabaseProvider.Sqlite)
        {
            Note($"no backup taken: back up {settings.Database} with pg_dump before an import you may want to undo (every insert is idempotent, so a re-run is safe)");
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(settings.BackupsPath, $"safestream-{stamp}-before-import.db"));
        Note($"backing up the database to {path}");
        await store.BackupToAsync(path, cancellationToken);
        foreach (var old in BackupPruning.Prune(settings.BackupsPath, settings.KeepImportBackups))
        {
            Note($"removed the older backup {old} (Migration:KeepImportBackups={settings.KeepImportBackups})");
        }

        return path;
    }

    private void Note(string text)
    {
        // With --json, standard output carries the JSON document alone.
        if (request.Quiet)
        {
            console.Error.WriteLine(text);
        }
        else
        {
            console.Line(text);
        }
    }

    private static long PeakWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>
    /// SQLite has one write lock per file: a long import transaction beside a running server makes the server's chat
    /// writes wait past their busy timeout, which in DatabaseOnly is an error to the sender (seen walking MIGRATION.md).
    /// </summary>
    private static bool SharesTheWriteLock(StorageOptions storage) =>
        storage.Provider == DatabaseProvider.Sqlite && RunningServer.Holds(storage);
}
