using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace SafeStream.Testing;

/// <summary>
/// The server's error-level log lines (errors and fatals), as the app's own Serilog pipeline wrote them: a test of bad
/// input asserts there are none, since an error line is what pages an operator.
/// </summary>
public sealed class ErrorLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<string> Lines => [.. _events.Select(e => $"{e.RenderMessage()} {e.Exception}")];

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        if (logEvent.Level >= LogEventLevel.Error)
        {
            _events.Enqueue(logEvent);
        }
    }
}
