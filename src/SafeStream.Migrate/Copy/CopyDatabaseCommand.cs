using System.CommandLine;
using SafeStream.Migrate.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Journal;

namespace SafeStream.Migrate.Copy;

/// <summary><c>copy-database</c>: the configured database into another (SQLite to PostgreSQL, or back), then both compared.</summary>
internal static class CopyDatabaseCommand
{
    public static Command Create(ToolContext context)
    {
        var toProvider = new Option<DatabaseProvider>("--to-provider")
        {
            Description = "The target's provider: PostgreSQL (the way up from the embedded default) or Sqlite (the way back)",
            DefaultValueFactory = _ => DatabaseProvider.PostgreSQL,
        };
        var toConnection = new Option<string>("--to-connection")
        {
            Description = "The target's connection string: \"Host=…;Database=…;Username=…\" for PostgreSQL, \"Data Source=….db\" for SQLite; made if missing",
            Required = true,
        };
        var passwordStdin = new Option<bool>("--to-password-stdin")
        {
            Description = $"Read the target's password from the first line of standard input (or set {TargetPassword.Variable}); a password inside --to-connection is visible to every local user in the process list",
        };
        var batch = new Option<int>("--batch-size") { Description = "Events per transaction", DefaultValueFactory = _ => 20_000 };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--batch-size must be between 1 and 100000");
            }
        });
        var command = new Command("copy-database", "Copy the configured database into another (SQLite to PostgreSQL, or back) and compare both row by row; safe to run again, it copies only what the target lacks")
        {
            toProvider, toConnection, passwordStdin, batch,
        };
        command.SetAction((parse, cancellationToken) => context.RunAsync(parse, async (settings, console) =>
        {
            var connection = TargetPassword.Apply(parse.GetValue(toProvider), parse.GetValue(toConnection)!, parse.GetValue(passwordStdin), console);
            var target = Target(settings, parse.GetValue(toProvider), connection);
            using var sourceLock = ToolLock.Acquire(settings.LockPath, "copy-database");
            using var targetLock = target.LockPath == settings.LockPath ? null : ToolLock.Acquire(target.LockPath, "copy-database");
            var backlog = JournalFiles.Backlog(settings.Storage.ResolvedJournalPath);
            if (backlog > 0)
            {
                throw new ToolException(ExitCodes.NotReady, $"the journal holds {backlog:N0} writes not yet in {settings.Database}; let the service replay them (/healthz shows the backlog) before copying");
            }

            if (!await settings.DatabaseExistsAsync(cancellationToken))
            {
                throw new ToolException(ExitCodes.Failed, $"no database at {settings.Database}: nothing to copy");
            }

            var run = new CopyRun(settings, target, console, context);
            return await run.RunAsync(parse.GetValue(batch), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static ToolSettings Target(ToolSettings source, DatabaseProvider provider, string connection)
    {
        if (DatabaseTarget.Problem(provider, connection) is { } problem)
        {
            throw new ToolException(ExitCodes.Usage, $"--to-connection: {problem}");
        }

        var target = source with { Storage = new StorageOptions { Provider = provider, ConnectionString = connection, BackupsPath = source.BackupsPath } };
        if (target.Database == source.Database)
        {
            throw new ToolException(ExitCodes.Usage, $"the target is the source ({source.Database}); name another database with --to-connection");
        }

        return target;
    }
}
