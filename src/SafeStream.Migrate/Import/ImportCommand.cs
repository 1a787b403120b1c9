using System.CommandLine;
using System.Text.Json;
using SafeStream.Migrate.Cli;
using Spectre.Console;

namespace SafeStream.Migrate.Import;

/// <summary><c>import</c>: users.json, every chat log and the journal into the database.</summary>
internal static class ImportCommand
{
    public static Command Create(ToolContext context)
    {
        var batchSize = new Option<int>("--batch-size") { Description = "Events per transaction", DefaultValueFactory = _ => 50_000 };
        batchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--batch-size must be between 1 and 100000");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check every file, report, and write nothing to the database" };
        var noBackup = new Option<bool>("--no-backup") { Description = "Skip the database backup taken before writing" };
        var noJournal = new Option<bool>("--no-journal") { Description = "Leave the server's spill journal out" };
        var conflicts = new Option<string>("--conflicts")
        {
            Description = "A user whose password hash differs between users.json and the database: report (change nothing), keep-database, or take-file",
            DefaultValueFactory = _ => "report",
        };
        conflicts.AcceptOnlyFromAmong("report", "keep-database", "take-file");
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON (no progress output)" };

        var command = new Command("import", "Replay users.json, the chat logs (all dates, rotated files) and the journal into the database; safe to run again")
        {
            batchSize, dryRun, noBackup, noJournal, conflicts, json,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            var request = new ImportRequest(
                parse.GetValue(batchSize),
                parse.GetValue(dryRun),
                !parse.GetValue(noBackup),
                !parse.GetValue(noJournal),
                parse.GetValue(conflicts) switch { "keep-database" => ConflictPolicy.KeepDatabase, "take-file" => ConflictPolicy.TakeFile, _ => ConflictPolicy.Report },
                parse.GetValue(json));
            var summary = await new ImportRun(settings, request, console, context.Time, context.Loggers).RunAsync(cancellationToken);
            if (request.Quiet)
            {
                console.Line(JsonSerializer.Serialize(summary, ToolJsonContext.Readable.ImportSummary));
            }
            else
            {
                Render(console, summary);
            }

            return ExitCode(summary);
        }, cancellationToken));
        return command;
    }

    public static int ExitCode(ImportSummary summary) => (summary.Completed, summary.Rejected > 0, summary.Users.Conflicts > 0) switch
    {
        (false, _, _) => ExitCodes.Cancelled,
        (_, true, true) => ExitCodes.RejectedAndConflicts,
        (_, true, false) => ExitCodes.Rejected,
        (_, false, true) => ExitCodes.Conflicts,
        _ => ExitCodes.Ok,
    };

    private static void Render(ToolConsole console, ImportSummary s)
    {
        var table = new Table().AddColumns("records", "read", "inserted", "already present", "pruned (retention)");
        table.AddRow("users", $"{s.Users.InFile:N0}", $"{s.Users.Created:N0}", $"{s.Users.AlreadyPresent:N0}", "");
        foreach (var kind in s.Events)
        {
            table.AddRow(kind.Kind.Replace('_', ' '), $"{kind.Read:N0}", $"{kind.Inserted:N0}", $"{kind.AlreadyPresent:N0}", $"{kind.Pruned:N0}");
        }

        console.Out.Write(table);
        var verb = s.DryRun ? "checked (dry run: nothing written)" : s.Completed ? "imported" : "stopped early (run again to continue)";
        console.Line($"{verb}: {s.Lines:N0} lines from {s.Files:N0} files ({s.Bytes / 1e6:N1} MB) in {s.Seconds:N1} s, {s.LinesPerSecond:N0} lines/s, peak memory {s.PeakWorkingSetBytes / 1e6:N0} MB");
        if (s.Backup is not null)
        {
            console.Line($"backup: {s.Backup}");
        }

        if (s.NulReplaced > 0)
        {
            console.Line($"kept with U+FFFD in place of U+0000 (NUL): {string.Join(", ", s.Events.Where(e => e.NulReplaced > 0).Select(e => $"{e.NulReplaced:N0} {e.Kind.Replace('_', ' ')}"))}");
        }

        console.Line($"rejected: {s.Rejected:N0} lines" + (s.RejectsFile is null ? "" : $" (file, line, reason and text in {Path.GetFullPath(s.RejectsFile)})"));
        if (s.JournalWritesLeft > 0)
        {
            console.Line($"journal: {s.JournalWritesLeft:N0} journalled users/patches/settings left for the server's own replay (see status)");
        }

        if (s.Users.KeptDatabase + s.Users.TookFile > 0)
        {
            console.Line($"conflicts settled: {s.Users.KeptDatabase:N0} kept the database's password, {s.Users.TookFile:N0} took users.json's");
        }

        if (s.Users.Conflicts > 0)
        {
            console.Line($"conflicts: {s.Users.Conflicts:N0} users have a different password hash in the database and were left unchanged: {string.Join(", ", s.Users.Conflicting)}");
            console.Line("  settle them with: import --conflicts keep-database   or   import --conflicts take-file");
        }
    }
}
