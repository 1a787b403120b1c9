using Microsoft.Extensions.Options;

namespace SafeStream.Server.Chat;

/// <summary>
/// Logs the open-file limit at start, and lowers <see cref="LimitsOptions.MaxConnections"/> to what it allows (see
/// <see cref="OpenFileLimit.Allows"/>: the limit, less the files open at start and a margin) with a warning naming
/// both numbers: past it, a connect would fail as an accept error, and so would the database's files, rather than as a
/// clear 503 "server is full". <c>readLimit</c> and <c>openNow</c> stand in for the process's own in tests.
/// </summary>
internal sealed partial class ConnectionCeiling(
    ILogger<ConnectionCeiling> logger, Func<(long Soft, long? Hard)?>? readLimit = null, Func<int?>? openNow = null)
    : IPostConfigureOptions<LimitsOptions>
{
    public void PostConfigure(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((readLimit ?? OpenFileLimit.Read)() is not { } limit)
        {
            LogUnknown(logger, options.MaxConnections);
            return;
        }

        var open = (openNow ?? OpenFileLimit.OpenNow)() ?? 0;
        var allowed = OpenFileLimit.Allows(limit.Soft, open);
        LogLimit(logger, limit.Soft, limit.Hard, open, allowed);
        if (options.MaxConnections > allowed)
        {
            LogLowered(logger, options.MaxConnections, limit.Soft, allowed, open, OpenFileLimit.Margin(limit.Soft));
            options.MaxConnections = allowed;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open-file limit: {Soft} (hard {Hard}); {Open} files open at start; it leaves room for {Allowed} chat connections")]
    private static partial void LogLimit(ILogger logger, long soft, long? hard, int open, int allowed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limits:MaxConnections {Configured} is more than the open-file limit {Soft} allows: lowered to {Allowed} (kept: the {Open} files open at start, and {Margin} for assemblies loaded later, the database, logs, listening sockets and HTTP clients); raise the limit (systemd LimitNOFILE, ulimit -n, a container's nofile ulimit) to hold more")]
    private static partial void LogLowered(ILogger logger, int configured, long soft, int allowed, int open, long margin);

    [LoggerMessage(Level = LogLevel.Information, Message = "The open-file limit could not be read here; Limits:MaxConnections stays {Configured}")]
    private static partial void LogUnknown(ILogger logger, int configured);
}
