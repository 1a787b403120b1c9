using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SafeStream.Storage.Retention;

namespace SafeStream.Server.Cli;

/// <summary>
/// <c>prune [--dry-run] [--json]</c>: the retention run, now, with the service's <c>Retention</c> settings, safe while
/// servers run (one run at a time across processes). It says per kind what went (or, dry, what would go).
/// </summary>
internal static class PruneCommand
{
    public static Command Create(CommandRun run)
    {
        var json = new Option<bool>("--json") { Description = "Answer with one JSON document (errors too, on standard error)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Change nothing: count what a run would remove now" };
        var command = new Command(
            "prune",
            "Run retention now: remove chat older than Retention:ChatDays and gifts older than Retention:GiftDays (0 keeps them forever); admin actions are never removed")
        { dryRun, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), async services =>
        {
            try
            {
                var report = await services.GetRequiredService<Pruner>().RunAsync(parse.GetValue(dryRun), cancellationToken);
                return new CommandAnswer(true, Text(report), JsonSerializer.Serialize(report, RetentionJsonContext.Default.PruneReport));
            }
            catch (RetentionBusyException ex)
            {
                return CommandAnswer.Failure(ex.Message);
            }
        }));
        return command;
    }

    private static string Text(PruneReport report)
    {
        var text = new StringBuilder();
        if (!report.Enabled)
        {
            text.Append("Retention is off (Retention:ChatDays and Retention:GiftDays are 0): nothing ages out.");
        }
        else
        {
            text.Append(report.DryRun ? "Dry run, nothing changed; a run now would remove:" : "Removed:");
        }

        foreach (var kind in report.Kinds)
        {
            var horizon = kind.Kind == "admin_actions" ? "never pruned (the audit trail)"
                : kind.Before is { } before ? $"older than {before.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z"
                : "kept forever";
            text.Append(CultureInfo.InvariantCulture, $"\n  {kind.Kind,-14} {kind.Database,12:N0} rows, {kind.LogLines,12:N0} legacy log lines   {horizon}");
        }

        if (report.LogFiles > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {report.LogFiles} legacy log files {(report.DryRun ? "would be" : "were")} rewritten");
        }

        if (report.RecordId is { } id)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nRecorded as admin action {id} by {Pruner.Actor} ({report.Mode}, {report.Seconds:0.0} s).");
        }

        return text.ToString();
    }
}
