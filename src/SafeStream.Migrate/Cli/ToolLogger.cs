using Microsoft.Extensions.Logging;

namespace SafeStream.Migrate.Cli;

/// <summary>The storage layer's log messages (migrations applied, failed writes) on the error stream, one line each.</summary>
internal sealed class ToolLoggerProvider(TextWriter error, LogLevel minimum) : ILoggerProvider
{
    private readonly Lock _lock = new();

    private LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new ToolLogger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message)
    {
        lock (_lock)
        {
            error.WriteLine($"{level.ToString().ToLowerInvariant()}: {message}");
        }
    }

    private sealed class ToolLogger(ToolLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception));
            }
        }
    }
}
