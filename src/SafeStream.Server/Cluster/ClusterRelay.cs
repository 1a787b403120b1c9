using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Dashboard;
using SafeStream.Server.Stats;
using SafeStream.Server.Threshold;
using SafeStream.Storage;
using SafeStream.Storage.Cluster;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Cluster;

/// <summary>
/// What other instances stored, delivered here: their chat messages and gifts to every socket of this instance
/// (serialised once each, as local ones), and their moderator actions applied at once: a kick, mute, unmute or account
/// change re-reads the account and answers its sockets here, a threshold is read again, a metrics reset drops the
/// cached counts. Blocked messages never arrive (the writer leaves them out). On SQLite there is nothing to relay.
/// </summary>
internal sealed partial class ClusterRelay(
    IClusterBus bus,
    ChatHub hub,
    AccountWatch accounts,
    DashboardFeed feed,
    ThresholdState threshold,
    StatsCache stats,
    ILogger<ClusterRelay> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => bus.ListenAsync(DeliverAsync, stoppingToken);

    private async Task DeliverAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case ChatMessage { Blocked: false } message:
                    hub.Broadcast(Frames.Chat(message), message.Id);
                    break;
                case Gift gift:
                    hub.Broadcast(Frames.Gift(gift), 0);
                    break;
                case AdminAction action:
                    await ApplyAsync(action, cancellationToken);
                    break;
            }
        }
    }

    private async Task ApplyAsync(AdminAction action, CancellationToken cancellationToken)
    {
        try
        {
            switch (action.Action)
            {
                case "threshold":
                    await threshold.RefreshAsync(cancellationToken);
                    break;
                case "reset_metrics":
                    stats.Invalidate();
                    break;
                case var _ when action.Target is { } target:
                    if (action.Action == "kick")
                    {
                        feed.EndFor(target);
                    }

                    await accounts.RecheckAsync(target, cancellationToken); // kick, mute, unmute, disable, …
                    break;
            }
        }
        catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
        {
            // The periodic account recheck and threshold refresh will apply it; nothing is guessed here.
            LogNotApplied(logger, action.Action, action.Target, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another instance's {Action} of {Target} is not applied here yet: {Reason}")]
    private static partial void LogNotApplied(ILogger logger, string action, string? target, string reason);
}
