using System.CommandLine;
using System.Globalization;
using SafeStream.Storage;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary><c>restore FILE</c>: only with every SafeStream process stopped; the backup is checked before anything moves.</summary>
internal static class RestoreCommand
{
    public static Command Create(CommandRun run)
    {
        var json = StorageTools.Json();
        var file = new Argument<string>("file") { Description = "The backup's .db file (its .manifest.json must be beside it)" };
        var replace = new Option<bool>("--replace") { Description = "PostgreSQL: restore even though the configured database holds rows (it is renamed to <name>_before_restore_<time>, never dropped)" };
        var command = new Command("restore", "Restore a checked backup into the configured database. Refused while any SafeStream process holds the storage; the current database is moved aside, never deleted")
        {
            file, replace, json,
        };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), services => StorageTools.GuardAsync(async () =>
        {
            var storage = StorageTools.Storage(services);
            var report = await new Restorer(storage, services.GetRequiredService<TimeProvider>()).RestoreAsync(parse.GetValue(file)!, parse.GetValue(replace), cancellationToken);
            var m = report.Manifest;
            var text = string.Create(CultureInfo.InvariantCulture, $"""
                Restored {report.File}
                  taken {m.StartedAt:yyyy-MM-dd HH:mm:ss}Z from {m.Source} ({m.Provider}); rows: {string.Join(", ", m.Rows.Select(r => $"{r.Key} {r.Value:N0}"))}; highest event id {m.HighestEventId}
                  into {report.Into}
                  {(report.MovedAside is { } aside ? $"the database it replaced is kept as {aside}" : "there was no database before")}
                  recorded as an admin action by {Restorer.Who} (id {report.RestoreActionId}, above every id before)
                Writes made after {m.StartedAt:yyyy-MM-dd HH:mm:ss}Z are not in this backup{(report.JournalBacklog > 0 ? $", except the {report.JournalBacklog:N0} journalled records the next server start replays" : "")}.
                Next: run check, then start the server{(storage.Provider == DatabaseProvider.PostgreSQL ? " instances" : "")}; once the service is proven, delete the database kept aside when you no longer need it.
                """);
            return new CommandAnswer(true, text, StorageTools.Serialize(report));
        })));
        return command;
    }
}
