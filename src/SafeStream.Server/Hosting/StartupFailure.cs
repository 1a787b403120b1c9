using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SafeStream.Server.Hosting;

/// <summary>
/// A service that cannot start says why in one logged line (a bad setting names its key), flushes its log and exits
/// with code 1, instead of dying on an unhandled exception with a stack trace (exit 134).
/// </summary>
internal static partial class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>Runs the service; answers 0 after a normal shutdown, <see cref="ExitCode"/> when it could not start.</summary>
    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = Describe(ex);
            LogDidNotStart(app.Logger, reason);
            LogTrace(app.Logger, ex); // for a developer who turns Debug on
            await app.DisposeAsync(); // flushes the log files
            return ExitCode;
        }

        try
        {
            await app.WaitForShutdownAsync();
            return 0;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>One line: the validation failures (each names its key), or the innermost message.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception switch
        {
            OptionsValidationException options => string.Join("; ", options.Failures.Select(f => NameTheKey(options.OptionsType, f))),
            AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
            _ => $"{exception.Message}{(exception.InnerException is { } inner ? $" ({inner.Message})" : "")}",
        };
        return reason.ReplaceLineEndings(" ");
    }

    /// <summary>
    /// DataAnnotations say "validation failed for 'LimitsOptions' members: 'MaxMessageChars' with the error: '…'"; the
    /// operator needs the key, <c>Limits:MaxMessageChars</c>, which the options class's <c>SectionName</c> gives.
    /// </summary>
    private static string NameTheKey(Type optionsType, string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        var section = optionsType.GetField("SectionName")?.GetRawConstantValue() as string;
        return match.Success && section is not null
            ? $"{section}:{match.Groups["member"].Value}: {match.Groups["error"].Value}"
            : failure;
    }

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\\.$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    /// <summary>The host's own "Hosting failed to start" with its stack trace: the line above says it once, plainly.</summary>
    public static bool IsHostsOwnReport(Serilog.Events.LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return logEvent.Level >= Serilog.Events.LogEventLevel.Error
            && logEvent.MessageTemplate.Text == "Hosting failed to start"
            && logEvent.Properties.TryGetValue("SourceContext", out var source)
            && source is Serilog.Events.ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Why the start failed, in full")]
    private static partial void LogTrace(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "SafeStream did not start: {Reason}")]
    private static partial void LogDidNotStart(ILogger logger, string reason);
}
