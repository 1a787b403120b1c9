using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// Runs the replayer (on a timer, and at once when a spill or a recovery asks for it) and applies mode changes
/// from configuration while the service runs.
/// </summary>
internal sealed partial class StorageHostedService(
    StorageRouter router,
    IOptionsMonitor<StorageOptions> options,
    IConfiguration configuration,
    ILogger<StorageHostedService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Gets the database ready before the rest of the host starts (hosted services start in order, the web server
    /// last), so the first requests do not pay the cold start against the per-call timeout. A database that is not
    /// there does not stop the service: DatabaseFirst serves from the files and the replay loop keeps trying.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The journal folder is this server's for as long as it runs; another process holding it stops the start.
        router.ClaimJournal();
        if (options.CurrentValue.Mode != StorageMode.JsonlOnly)
        {
            try
            {
                await router.Replayer.WarmUpAsync(cancellationToken);
            }
            catch (Exception ex) when (DatabaseGate.IsOutage(ex) && ex is not DatabaseMissingException)
            {
                router.Context.Failed(ex);
                LogNotReadyAtStart(logger, ex.Message);
            }
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = options.OnChange(o => router.RequestMode(o.Mode));

        // An unreadable value never reaches OnChange (binding fails), so say here why nothing changed.
        using var invalid = ChangeToken.OnChange(configuration.GetReloadToken, ReportInvalidMode);
        router.RequestMode(options.CurrentValue.Mode);
        router.Context.ReplayWanted += Wake;
        router.Context.Gate.Recovered += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // A files-only deployment with nothing journalled never gets a database created for it.
                    if (router.ActiveMode != StorageMode.JsonlOnly || router.Current.JournalBacklog > 0)
                    {
                        await router.Replayer.ReplayAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReplayFailed(logger, ex);
                }

                await WaitAsync(TimeSpan.FromMilliseconds(options.CurrentValue.ReplayIntervalMs), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            router.Context.ReplayWanted -= Wake;
            router.Context.Gate.Recovered -= Wake;
        }
    }

    private Task<bool> WaitAsync(TimeSpan interval, CancellationToken stoppingToken) => _wake.WaitAsync(interval, stoppingToken);

    private void ReportInvalidMode()
    {
        var raw = configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Mode)}"];
        if (raw is not null && !Enum.TryParse<StorageMode>(raw, ignoreCase: true, out _))
        {
            LogInvalidMode(logger, raw, router.Current.ActiveMode, string.Join(", ", Enum.GetNames<StorageMode>()));
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already awake
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage:Mode '{Value}' in the reloaded configuration is not a mode; staying in {Active}. Valid: {Valid}")]
    private static partial void LogInvalidMode(ILogger logger, string value, StorageMode active, string valid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not ready at start ({Reason}); serving from the files where the mode allows and retrying")]
    private static partial void LogNotReadyAtStart(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal replay failed; retrying on the next round")]
    private static partial void LogReplayFailed(ILogger logger, Exception exception);
}
