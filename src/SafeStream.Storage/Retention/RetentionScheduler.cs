using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SafeStream.Storage.Retention;

/// <summary>
/// The daily run at <c>Retention:RunAtUtc</c>. Every instance schedules it; the run lock and the recorded runs make one
/// instance do it: another that finds the lock held, or a run recorded at or after the time due, skips that day. A
/// failed run is logged and tried again at the next day's time (or at once with <c>prune</c>).
/// </summary>
internal sealed partial class RetentionScheduler(Pruner pruner, TimeProvider time, ILogger<RetentionScheduler> logger) : BackgroundService
{
    private DateTimeOffset _after;

    /// <summary>
    /// The first run is the first due after the start, read here: ExecuteAsync runs on the thread pool and may begin
    /// after the clock has passed a run that was due.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _after = time.GetUtcNow();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = pruner.Options.NextRunAfter(_after);
            _after = due;
            var wait = due - time.GetUtcNow();
            LogNext(logger, due, wait);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            if (!pruner.Options.Enabled)
            {
                continue;
            }

            try
            {
                if (await pruner.RunScheduledAsync(due, stoppingToken) is null)
                {
                    LogSkipped(logger, due);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, due, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The next retention run is due at {Due}, in {Wait}")]
    private static partial void LogNext(ILogger logger, DateTimeOffset due, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "The retention run due at {Due} was made by another process")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention run due at {Due} failed: {Reason}; it runs again at the next day's time")]
    private static partial void LogFailed(ILogger logger, DateTimeOffset due, string reason);
}
