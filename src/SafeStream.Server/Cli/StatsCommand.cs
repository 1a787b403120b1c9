using System.CommandLine;
using System.Globalization;
using System.Text;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary><c>stats</c>: what the data is: rows and time span per kind, size, reclaimable space, last backup and retention run, journal backlog.</summary>
internal static class StatsCommand
{
    public static Command Create(CommandRun run)
    {
        var json = StorageTools.Json();
        var command = new Command("stats", "Rows and oldest/newest per kind, database size and reclaimable space, the last backup and its age, the last retention run, the journal backlog") { json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), services => StorageTools.GuardAsync(async () =>
        {
            var stats = await StorageStatsReader.ReadAsync(StorageTools.Storage(services), StorageTools.Folder(services), services.GetRequiredService<TimeProvider>(), cancellationToken);
            return new CommandAnswer(true, Text(stats), StorageTools.Serialize(stats));
        })));
        return command;
    }

    public static string Text(StorageStats s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{s.Database} ({s.Provider}, schema {s.SchemaVersion ?? "none"})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  size {Mb(s.DatabaseBytes)}, reclaimable {Mb(s.ReclaimableBytes)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  users {s.Users:N0}, settings {s.Settings:N0}");
        foreach (var k in s.Events)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {k.Table,-14} {k.Rows,12:N0}  {(k.Oldest is { } o ? $"{o:yyyy-MM-dd HH:mm:ss}Z .. {k.Newest:yyyy-MM-dd HH:mm:ss}Z" : "none")}");
        }

        text.AppendLine(s.LastBackup is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"  last backup {b.File}, {b.FinishedAt:yyyy-MM-dd HH:mm:ss}Z ({Age(b.AgeSeconds)} ago, {Mb(b.Bytes)})")
            : "  last backup: none");
        text.AppendLine(s.LastRetention is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"  last retention run {r.At:yyyy-MM-dd HH:mm:ss}Z: {r.Details}")
            : "  last retention run: none");
        text.Append(CultureInfo.InvariantCulture, $"  journal backlog {s.JournalBacklog:N0} records");
        return text.ToString();
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");

    private static string Age(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h"),
    };
}
