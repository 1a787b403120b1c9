using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// Runs the replayer (on a timer, and at once when a spill or a recovery asks for it) and applies mode changes
/// from configuration while the service runs.
/// </summary>
internal sealed partial class StorageHostedService(
    StorageRouter router,
    IOptionsMonitor<StorageOptions> options,
    ILogger<StorageHostedService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = options.OnChange(o => router.RequestMode(o.Mode));
        router.RequestMode(options.CurrentValue.Mode);
        router.Context.ReplayWanted += Wake;
        router.Context.Gate.Recovered += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await router.Replayer.ReplayAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal replay failed; retrying on the next round")]
    private static partial void LogReplayFailed(ILogger logger, Exception exception);
}
