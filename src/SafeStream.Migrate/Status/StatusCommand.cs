using System.CommandLine;
using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using Spectre.Console;

namespace SafeStream.Migrate.Status;

/// <summary><c>status</c>: the mode, the schema, the journal backlog, the legacy files present, and what to do next.</summary>
internal static class StatusCommand
{
    public static Command Create(ToolContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "Show the storage mode, database schema version, journal backlog, legacy files present and the recommended next step") { json };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            var report = await ReportAsync(settings, cancellationToken);
            if (parse.GetValue(json))
            {
                console.Line(JsonSerializer.Serialize(report, ToolJsonContext.Readable.StatusReport));
            }
            else
            {
                Render(console, report);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task<StatusReport> ReportAsync(ToolSettings settings, CancellationToken cancellationToken)
    {
        var storage = settings.Storage;

        // Only an existing database is looked at, read-only: status must not create or migrate one.
        var exists = await settings.DatabaseExistsAsync(cancellationToken);
        var schema = exists ? await DatabaseTarget.SchemaVersionAsync(storage, cancellationToken) : null;

        var backlog = JournalFiles.Backlog(storage.ResolvedJournalPath);
        List<FilesPresent> files =
        [
            Present("users.json", storage.ResolvedUsersFile, File.Exists(storage.ResolvedUsersFile) ? [storage.ResolvedUsersFile] : []),
            Present("chat logs", storage.ResolvedLogsPath, LogFiles.OldestFirst(storage.ResolvedLogsPath)),
            Present("journal segments", storage.ResolvedJournalPath, JournalFiles.Segments(storage.ResolvedJournalPath)),
        ];
        var anyFiles = files.Any(f => f.Count > 0);
        return new StatusReport(
            storage.Mode.ToString(),
            NextStep.Phase(storage.Mode, storage.LegacyRetired),
            storage.LegacyRetired,
            settings.Database,
            exists,
            schema,
            backlog,
            files,
            NextStep.For(storage.Mode, storage.LegacyRetired, exists, backlog, anyFiles));
    }

    private static FilesPresent Present(string what, string path, IReadOnlyList<string> files) =>
        new(what, Path.GetFullPath(path), files.Count, files.Sum(f => new FileInfo(f).Length));

    private static void Render(ToolConsole console, StatusReport r)
    {
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("mode", Markup.Escape($"{r.Mode}: {r.Phase}"));
        table.AddRow("legacy retired", r.LegacyRetired ? "yes" : "no");
        table.AddRow("database", Markup.Escape(r.DatabaseExists ? $"{r.Database} (schema {r.SchemaVersion ?? "none"})" : $"{r.Database} (not created yet)"));
        table.AddRow("journal backlog", $"{r.JournalBacklog:N0} writes waiting for replay");
        foreach (var f in r.LegacyFiles)
        {
            table.AddRow(Markup.Escape(f.What), Markup.Escape(f.Count == 0 ? $"none ({f.Path})" : $"{f.Count:N0} files, {f.Bytes / 1e6:N1} MB in {f.Path}"));
        }

        console.Out.Write(table);
        console.Line($"next: {r.NextStep}");
    }
}
