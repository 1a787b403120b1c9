using SafeStream.Migrate.Cli;

// safestream-migrate import | verify | archive | status — see MIGRATION.md. scripts/migrate.sh builds and runs it.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops after the batch in flight; a second one ends the process at once (still safe).
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await MigrateTool.RunAsync(args, ToolConsole.System(), TimeProvider.System, cancel.Token);
