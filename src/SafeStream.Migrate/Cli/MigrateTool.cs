using System.CommandLine;
using Microsoft.Extensions.Logging;
using SafeStream.Migrate.Archive;
using SafeStream.Migrate.Copy;
using SafeStream.Migrate.Export;
using SafeStream.Migrate.Import;
using SafeStream.Migrate.Status;
using SafeStream.Migrate.Verify;

namespace SafeStream.Migrate.Cli;

/// <summary>The command line: one command per step of the migration. Program.cs and the tests both enter here.</summary>
internal static class MigrateTool
{
    public static async Task<int> RunAsync(string[] args, ToolConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ToolLoggerProvider(console.Error, LogLevel.Information)));
        var context = new ToolContext(console, time, loggers);
        var root = new RootCommand("SafeStream migration tool: replay the legacy files into the database, verify, retire them. See MIGRATION.md.")
        {
            ImportCommand.Create(context),
            VerifyCommand.Create(context),
            ArchiveCommand.Create(context),
            StatusCommand.Create(context),
            ExportCommand.Create(context),
            CopyDatabaseCommand.Create(context),
        };
        foreach (var option in context.Options.All)
        {
            root.Options.Add(option);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"safestream-migrate: {error.Message}");
            }

            console.Error.WriteLine("see: safestream-migrate --help");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = console.Out.Profile.Out.Writer, Error = console.Error, EnableDefaultExceptionHandler = false },
            cancellationToken);
    }
}
