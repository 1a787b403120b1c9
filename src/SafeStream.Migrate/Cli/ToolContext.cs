using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using SafeStream.Storage;

namespace SafeStream.Migrate.Cli;

/// <summary>What every command shares: the common flags, the clock, the console, and one way to fail.</summary>
internal sealed class ToolContext(ToolConsole console, TimeProvider time, ILoggerFactory loggers)
{
    public CommonOptions Options { get; } = new();

    public ToolConsole Console => console;

    public TimeProvider Time => time;

    public ILoggerFactory Loggers => loggers;

    /// <summary>Loads the settings and runs <paramref name="action"/>, turning the failures an operator can fix into one line and an exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<ToolSettings, ToolConsole, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            var settings = ToolSettings.Load(parse, Options);
            return await action(settings, console);
        }
        catch (ToolException ex)
        {
            return Fail(ex.ExitCode, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(ExitCodes.Cancelled, "interrupted; what was committed stays, and running the command again continues");
        }
        catch (CorruptFileException ex)
        {
            return Fail(ExitCodes.Failed, $"{ex.Message} (the file was not changed; fix or restore it, then run again)");
        }
        catch (Exception ex) when (ex is DbException or StorageUnavailableException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return Fail(ExitCodes.Failed, ex.Message);
        }
    }

    private int Fail(int code, string message)
    {
        console.Error.WriteLine($"safestream-migrate: {message}");
        return code;
    }
}
