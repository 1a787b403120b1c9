using System.CommandLine;
using Microsoft.Extensions.Logging;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Verify;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Journal;

namespace SafeStream.Migrate.Export;

/// <summary><c>export</c>: for a rollback to the files, write back what only the database holds.</summary>
internal static class ExportCommand
{
    public static Command Create(ToolContext context)
    {
        var scratch = VerifyCommand.ScratchOption();
        var command = new Command("export", "Rollback: write the records only the database holds (users, chat, gifts, admin actions) back into the legacy files; run with the service stopped")
        {
            scratch,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            using var exportLock = ToolLock.Acquire(settings.LockPath, "export");
            if (settings.Storage.Mode is not (StorageMode.JsonlOnly or StorageMode.DualWrite))
            {
                throw new ToolException(ExitCodes.NotReady, $"export writes into the legacy files for a rollback: stop the service and set Storage:Mode to JsonlOnly or DualWrite first (it is {settings.Storage.Mode})");
            }

            var backlog = JournalFiles.Backlog(settings.Storage.ResolvedJournalPath);
            if (backlog > 0)
            {
                throw new ToolException(ExitCodes.NotReady, $"the journal holds {backlog:N0} writes not yet in the database; run the service in DatabaseFirst until /healthz shows an empty backlog, stop it, then export");
            }

            if (!await settings.DatabaseExistsAsync(cancellationToken))
            {
                throw new ToolException(ExitCodes.Failed, $"no database at {settings.Database}: nothing to export");
            }

            await using var store = MigrationDatabase.Open(settings.Storage, context.Time, context.Loggers);
            var s = await new Exporter(settings, store, context.Time, parse.GetValue(scratch) ?? Path.GetTempPath()).RunAsync(cancellationToken);
            console.Line($"export: {s.Users:N0} users added to {s.UsersFile}");
            console.Line($"export: {s.Chat:N0} chat messages, {s.Gifts:N0} gifts, {s.AdminActions:N0} admin actions appended to {s.LogFile}");
            console.Line("next: start the service; `scripts/migrate.sh verify` should now list nothing as database only");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
