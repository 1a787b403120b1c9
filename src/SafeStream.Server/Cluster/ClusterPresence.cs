using Npgsql;
using SafeStream.Server.Chat;
using SafeStream.Storage.Cluster;

namespace SafeStream.Server.Cluster;

/// <summary>
/// This instance's viewers, published every second, and the other live instances' total, for <c>viewer_count</c>.
/// An instance that stops cleanly leaves at once; one that died stops counting once its heartbeat is a few seconds old.
/// </summary>
internal sealed partial class ClusterPresence(IClusterBus bus, ChatHub hub, TimeProvider time, ILogger<ClusterPresence> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private int _others;

    /// <summary>Viewers of the other live instances, as of the last heartbeat (0 with a single instance).</summary>
    public int OtherViewers => Volatile.Read(ref _others);

    /// <summary>Viewers of every live instance: a user with sockets on two instances counts on each.</summary>
    public int AllViewers => hub.ViewerCount + OtherViewers;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (bus.Enabled)
        {
            try
            {
                await bus.LeaveAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                LogFailed(logger, ex.Message); // the row ages out instead
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bus.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                try
                {
                    Volatile.Write(ref _others, await bus.BeatAsync(hub.ViewerCount, hub.ConnectionCount, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex.Message); // the others' count stays as last read; the database is down
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Presence heartbeat failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
