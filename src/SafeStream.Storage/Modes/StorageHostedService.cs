using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Runs the replay, a round every <c>Storage:ReplayIntervalMs</c> or at once when <see cref="StorageRouter.ReplayRequests"/>
/// asks, and applies mode changes from configuration while the service runs.
/// </summary>
internal sealed partial class StorageHostedService(
    StorageRouter router,
    IOptionsMonitor<StorageOptions> options,
    ILogger<StorageHostedService> logger) : BackgroundService
{
    /// <summary>
    /// Gets the database ready before the rest of the host starts (hosted services start in order, the web server
    /// last), so the first requests do not pay the cold start against the per-call timeout. A database that is not
    /// there does not stop the service: DatabaseFirst serves from the files and the replay loop keeps trying.
    /// The journal folder is this server's for as long as it runs; another process holding it stops the start.
    /// Data left open to other local users is named first.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        OpenFilesWarning.Log(options.CurrentValue, logger);
        await router.StartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A reloaded Storage section that fails validation or binding is the server's to report and ignore (it keeps
        // the last valid options), so what arrives here is always a valid mode.
        using var subscription = options.OnChange(o => router.RequestMode(o.Mode));
        router.RequestMode(options.CurrentValue.Mode);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // A files-only deployment with nothing journalled never gets a database created for it.
                    if (router.ActiveMode != StorageMode.JsonlOnly || router.Current.JournalBacklog > 0)
                    {
                        await router.ReplayAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReplayFailed(logger, ex);
                }

                await router.ReplayRequests.WaitAsync(TimeSpan.FromMilliseconds(options.CurrentValue.ReplayIntervalMs), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal replay failed; retrying on the next round")]
    private static partial void LogReplayFailed(ILogger logger, Exception exception);
}
