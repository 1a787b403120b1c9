using System.CommandLine;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary><c>check</c>: integrity, schema version and journal segments; exit 1 when anything is wrong.</summary>
internal static class CheckCommand
{
    public static Command Create(CommandRun run)
    {
        var json = StorageTools.Json();
        var quick = new Option<bool>("--quick") { Description = "SQLite: PRAGMA quick_check instead of integrity_check (skips index contents; much faster on a large database)" };
        var command = new Command("check", "Check the database's integrity, its schema version and the journal's segments; exit 1 on a problem. Safe while the service runs") { quick, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), services => StorageTools.GuardAsync(async () =>
        {
            var items = await StorageMaintenance.CheckAsync(StorageTools.Storage(services), parse.GetValue(quick), cancellationToken);
            var ok = items.All(i => i.Ok);
            var text = string.Join(Environment.NewLine, items.Select(i => $"{(i.Ok ? "ok     " : "PROBLEM")} {i.Name}: {i.Detail}"));
            return new CommandAnswer(ok, text, StorageTools.Serialize(new CheckJson(ok, items)));
        })));
        return command;
    }
}
