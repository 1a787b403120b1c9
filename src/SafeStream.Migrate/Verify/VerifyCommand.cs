using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SafeStream.Migrate.Cli;
using SafeStream.Storage.Database;
using Spectre.Console;

namespace SafeStream.Migrate.Verify;

/// <summary><c>verify</c>: do the database and the legacy files hold the same records?</summary>
internal static class VerifyCommand
{
    public static Option<string?> ScratchOption() => new("--scratch")
    {
        Description = "Folder for the temporary comparison index (default: the system temp folder; needs about 100 bytes per record)",
    };

    public static Command Create(ToolContext context)
    {
        var show = new Option<int>("--show") { Description = "How many findings of each kind to list", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var scratch = ScratchOption();
        var command = new Command("verify", "Compare the legacy files with the database: counts and content digests per kind, and what is missing on either side")
        {
            show, json, scratch,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            var report = await RunAsync(settings, context, parse.GetValue(show), parse.GetValue(scratch), cancellationToken);
            if (parse.GetValue(json))
            {
                console.Line(JsonSerializer.Serialize(report, ToolJsonContext.Readable.VerifyReport));
            }
            else
            {
                Render(console, report);
            }

            return report.Clean ? ExitCodes.Ok : ExitCodes.Differences;
        }, cancellationToken));
        return command;
    }

    public static async Task<VerifyReport> RunAsync(ToolSettings settings, ToolContext context, int show, string? scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        if (!await settings.DatabaseExistsAsync(cancellationToken))
        {
            throw new ToolException(ExitCodes.Failed, $"no database at {settings.Database}: run import first");
        }

        await using var store = MigrationDatabase.Open(settings.Storage, context.Time, context.Loggers);
        return await new Verifier(settings, store, Math.Max(0, show), scratch ?? Path.GetTempPath()).RunAsync(cancellationToken);
    }

    public static void Render(ToolConsole console, VerifyReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().AddColumns("kind", "files", "database", "matching", "missing from db", "different", "database only", "pruned (retention)", "digest files / database");
        foreach (var k in report.Kinds)
        {
            var different = k.Different + k.DuplicateKeys;
            table.AddRow(
                k.Kind.Replace('_', ' '),
                $"{k.InFiles:N0}",
                $"{k.InDatabase:N0}",
                $"{k.Matching:N0}" + (k.Settled > 0 ? $" (+{k.Settled:N0} settled)" : ""),
                $"{k.MissingFromDatabase:N0}",
                $"{different:N0}",
                $"{k.DatabaseOnly:N0}",
                $"{k.Pruned:N0}",
                k.FilesDigest == k.DatabaseDigest ? $"{k.FilesDigest[..12]} (equal)" : $"{k.FilesDigest[..12]} / {k.DatabaseDigest[..12]}");
        }

        console.Out.Write(table);
        foreach (var f in report.Differences)
        {
            console.Line($"  {f.Problem.Replace('_', ' ')}: {f.Kind} {Where(f)}");
        }

        foreach (var f in report.DatabaseOnly)
        {
            console.Line($"  database only (written by the server, not a difference): {f.Kind} {Where(f)}");
        }

        if (report.RejectedLines > 0)
        {
            console.Line($"rejected lines in the files (not records; see import's rejects file): {report.RejectedLines:N0}");
        }

        if (report.JournalWritesLeft > 0)
        {
            console.Line($"journalled users/patches/settings waiting for the server's replay: {report.JournalWritesLeft:N0}");
        }

        console.Line(report.Clean
            ? $"verify: clean ({report.Seconds:N1} s): every record of the files is in the database with the same content"
            : $"verify: DIFFERENCES ({report.Seconds:N1} s): run import again, then verify; see MIGRATION.md if they remain");
    }

    private static string Where(Finding f) =>
        string.Join(" ", new[]
        {
            f.Username is null ? null : $"user {f.Username}",
            f.File is null ? null : f.Line is null ? f.File : $"{f.File}:{f.Line}",
            f.Id is null ? null : $"id {f.Id}",
        }.Where(s => s is not null));
}
