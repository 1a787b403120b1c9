using SafeStream.Migrate.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Database.Copy;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Copy;

/// <summary>One run of <c>copy-database</c>: the target made or migrated, every table copied, both databases compared.</summary>
internal sealed class CopyRun(ToolSettings source, ToolSettings target, ToolConsole console, ToolContext context)
{
    private static readonly EventKind[] Kinds = [EventKind.Chat, EventKind.Gift, EventKind.AdminAction];

    public async Task<int> RunAsync(int batch, CancellationToken cancellationToken)
    {
        await using var from = MigrationDatabase.Open(source.Storage, context.Time, context.Loggers);
        await using var to = MigrationDatabase.Open(target.Storage, context.Time, context.Loggers, DatabaseCreation.Always);
        await to.EnsureReadyAsync(cancellationToken);
        console.Line($"copy-database: {source.Database} -> {target.Database}{(to.Created ? " (created)" : "")}");

        var copy = new DatabaseCopy(from, to);
        Print(await copy.CopyUsersAsync(cancellationToken));
        Print(await copy.CopySettingsAsync(cancellationToken));
        foreach (var kind in Kinds)
        {
            Print(await copy.CopyEventsAsync(kind, batch, cancellationToken: cancellationToken));
        }

        var compare = new DatabaseComparison(from, to);
        var tables = new List<ComparedTable> { await compare.UsersAsync(cancellationToken), await compare.SettingsAsync(cancellationToken) };
        foreach (var kind in Kinds)
        {
            tables.Add(await compare.EventsAsync(kind, cancellationToken));
        }

        foreach (var t in tables)
        {
            console.Line($"compare: {t.Table}: {t.Source:N0} in the source, {t.Target:N0} in the target, " + (t.Equal ? "equal" : $"{t.Differences:N0} differ"));
            foreach (var example in t.Examples)
            {
                console.Line($"  {example}");
            }
        }

        if (tables.All(t => t.Equal))
        {
            console.Line($"next: with writes stopped and a last run equal, set Storage:Provider={target.Storage.Provider} and Storage:ConnectionString to the target, then start the service (MIGRATION.md, \"Moving to PostgreSQL\")");
            return ExitCodes.Ok;
        }

        console.Line("differences: rows written to the source during the copy show as \"only in the source\": run again (with writes stopped for the last run); anything else needs a look before switching");
        return ExitCodes.Differences;
    }

    private void Print(CopiedTable t) =>
        console.Line($"copy: {t.Table}: {t.InSource:N0} in the source, {t.Copied:N0} copied" +
            (t.Updated > 0 ? $", {t.Updated:N0} brought up to date" : "") +
            (t.Conflicts > 0 ? $", {t.Conflicts:N0} ids held by other content in the target (left as they are)" : ""));
}
