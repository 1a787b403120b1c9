namespace SafeStream.Migrate.Cli;

/// <summary>A failure the tool explains in one sentence and maps to an exit code, without a stack trace.</summary>
internal sealed class ToolException(int exitCode, string message) : Exception(message)
{
    public int ExitCode => exitCode;
}
