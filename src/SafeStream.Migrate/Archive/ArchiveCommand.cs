using System.CommandLine;
using System.Globalization;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Verify;
using SafeStream.Storage;
using SafeStream.Storage.Journal;

namespace SafeStream.Migrate.Archive;

/// <summary><c>archive</c> (phase F): after a clean verify, pack the legacy files, check the archive, remove the originals.</summary>
internal static class ArchiveCommand
{
    public static Command Create(ToolContext context)
    {
        var keepFiles = new Option<bool>("--keep-files") { Description = "Write and check the archive but leave the originals in place" };
        var scratch = VerifyCommand.ScratchOption();
        var command = new Command("archive", "Phase F: verify, pack users.json, logs/ and journal/ into a checked .tar.gz in the backups folder, then remove them")
        {
            keepFiles, scratch,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            using var archiveLock = ToolLock.Acquire(settings.LockPath, "archive");
            var storage = settings.Storage;
            if (storage.Mode != StorageMode.DatabaseOnly)
            {
                throw new ToolException(ExitCodes.NotReady, $"archive is phase F and needs Storage:Mode=DatabaseOnly (it is {storage.Mode}): while the server may still write or read the files they must stay");
            }

            var backlog = JournalFiles.Backlog(storage.ResolvedJournalPath);
            if (backlog > 0)
            {
                throw new ToolException(ExitCodes.NotReady, $"the journal still holds {backlog:N0} writes the server has not replayed; run the server in DatabaseFirst until /healthz shows an empty journal backlog");
            }

            var files = LegacyFileSet.Find(storage);
            if (files.Count == 0)
            {
                console.Line("archive: no legacy files left to archive");
                PrintNextSteps(console);
                return ExitCodes.Ok;
            }

            var report = await VerifyCommand.RunAsync(settings, context, 20, parse.GetValue(scratch), cancellationToken);
            if (!report.Clean)
            {
                VerifyCommand.Render(console, report);
                throw new ToolException(ExitCodes.Differences, "archive refused: verify is not clean, and the files are the only copy of what differs; nothing was packed or deleted");
            }

            var stamp = context.Time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            var archivePath = Path.GetFullPath(Path.Combine(settings.BackupsPath, $"legacy-{stamp}.tar.gz"));
            var manifest = Archiver.Pack(files, archivePath);
            console.Line($"archive: {manifest.Count} files ({manifest.Sum(f => f.Length) / 1e6:N1} MB) packed into {archivePath}; every checksum read back equal");
            if (parse.GetValue(keepFiles))
            {
                console.Line("archive: --keep-files: the originals stay; run archive again without it to remove them");
                return ExitCodes.Ok;
            }

            var changed = LegacyFileSet.Remove(manifest, storage);
            if (changed.Count > 0)
            {
                throw new ToolException(ExitCodes.Failed, $"these files changed after they were packed and were kept: {string.Join(", ", changed)}; is something still writing them?");
            }

            console.Line($"archive: the originals are removed; to restore them: tar -xzf {archivePath} -C {Path.GetFullPath(storage.LegacyPath)}");
            PrintNextSteps(console);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static void PrintNextSteps(ToolConsole console)
    {
        console.Line("next: set in appsettings.json (or the environment), then restart the service and check /healthz:");
        console.Line("  \"Storage\": { \"Mode\": \"DatabaseOnly\", \"LegacyRetired\": true, ... }");
        console.Line("  and remove Storage:UsersFile, Storage:LogsPath and Storage:JournalPath if they are set (and the SAFESTREAM_USERS_FILE variable)");
        console.Line("  environment form: Storage__Mode=DatabaseOnly Storage__LegacyRetired=true");
    }
}
