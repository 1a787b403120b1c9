using System.CommandLine;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary><c>optimize</c>: fresh statistics and freed space back (see <see cref="StorageMaintenance.OptimizeAsync"/> for which and why).</summary>
internal static class OptimizeCommand
{
    public static Command Create(CommandRun run)
    {
        var json = StorageTools.Json();
        var vacuum = new Option<bool>("--vacuum") { Description = "SQLite: a full VACUUM to return free pages to the file system; refused while a server runs (it holds the write lock for the whole rewrite)" };
        var command = new Command("optimize", "SQLite: PRAGMA optimize and freed pages reclaimed (incremental_vacuum in steps, or VACUUM with --vacuum); PostgreSQL: VACUUM (ANALYZE)") { vacuum, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), services => StorageTools.GuardAsync(async () =>
        {
            var steps = await StorageMaintenance.OptimizeAsync(StorageTools.Storage(services), parse.GetValue(vacuum), services.GetRequiredService<TimeProvider>(), cancellationToken);
            return new CommandAnswer(true, string.Join(Environment.NewLine, steps), StorageTools.Serialize(new OptimizeJson(true, steps)));
        })));
        return command;
    }
}
