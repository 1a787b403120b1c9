using System.CommandLine;
using System.Globalization;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary><c>backup</c>: a checked backup now, while the service runs; exit 0 only once it passed its check.</summary>
internal static class BackupCommand
{
    public static Command Create(CommandRun run)
    {
        var json = StorageTools.Json();
        var keep = new Option<int?>("--keep") { Description = "Afterwards keep only the newest N checked backups (default: keep all; the server's schedule uses Backup:Keep)" };
        keep.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) { r.AddError("--keep must be 1 or more"); } });
        var command = new Command("backup", "Take a consistent, checked backup of the database into Backup:Path (a SQLite file that restores into SQLite or PostgreSQL) with a manifest beside it; safe while the service runs")
        {
            keep, json,
        };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), services => StorageTools.GuardAsync(async () =>
        {
            var storage = StorageTools.Storage(services);
            var folder = StorageTools.Folder(services);
            var taken = await new BackupWriter(storage, folder, services.GetRequiredService<TimeProvider>()).TakeAsync(StorageTools.Who, cancellationToken);
            var removed = parse.GetValue(keep) is { } n ? BackupFolder.Prune(folder, n) : [];
            var m = taken.Manifest;
            var seconds = (m.FinishedAt - m.StartedAt).TotalSeconds;
            var text = string.Create(CultureInfo.InvariantCulture, $"""
                Backup {taken.File}
                  of {m.Source} ({m.Provider}, schema {m.SourceSchemaVersion}), checked: {m.Check}
                  {m.Bytes:N0} bytes in {seconds:0.0} s ({m.Bytes / 1048576.0 / Math.Max(seconds, 0.001):0.0} MB/s), SHA-256 {m.Sha256}
                  rows: {string.Join(", ", m.Rows.Select(r => $"{r.Key} {r.Value:N0}"))}; highest event id {m.HighestEventId}
                  manifest {taken.ManifestPath}{(removed.Count > 0 ? $"\n  removed {removed.Count} older backups (--keep)" : "")}
                Copy both files off this machine; restore with: restore {taken.File}
                """);
            return new CommandAnswer(true, text, StorageTools.Serialize(new BackupJson(taken.File, m)));
        })));
        return command;
    }
}
