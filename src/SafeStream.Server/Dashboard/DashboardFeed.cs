using System.Net.ServerSentEvents;
using Microsoft.Extensions.Options;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Cluster;
using SafeStream.Server.Threshold;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>
/// The moderator dashboard's live feed. While at least one dashboard listens, one loop reads the newest events from
/// storage, so the feed shows what storage holds (in every mode, from every server instance, blocked messages
/// included), and hands each new event to every listener, serialised once. Viewers, the threshold and the storage
/// status are sent whenever they change.
/// </summary>
internal sealed partial class DashboardFeed : BackgroundService
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    private readonly IStorage _storage;
    private readonly ChatHub _hub;
    private readonly ThresholdState _threshold;
    private readonly IStorageStatus _status;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardFeed> _logger;
    private readonly FeedCursor _cursor = new(Overlap);
    private readonly ClusterPresence _presence;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly FeedListeners _listeners;
    private FeedStatus? _sentStatus;
    private long _pingedAt;
    private bool _failing;

    public DashboardFeed(
        IStorage storage,
        ChatHub hub,
        ClusterPresence presence,
        ThresholdState threshold,
        IStorageStatus status,
        IOptions<DashboardOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<DashboardFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        (_storage, _hub, _presence, _threshold, _status, _options, _time, _logger) = (storage, hub, presence, threshold, status, options.Value, time, logger);
        _listeners = new FeedListeners(_options.MaxFeedSubscribers);

        // Open feeds would otherwise hold the shutdown for its whole timeout.
        lifetime.ApplicationStopping.Register(_listeners.CompleteAll);
    }

    /// <summary>Viewers of every live instance (as <c>/metrics</c> counts them); connections of this one.</summary>
    public FeedStatus CurrentStatus() => new(_presence.AllViewers, _hub.ConnectionCount, _threshold.Current, _status.Current);

    /// <summary>A new listener, sent the current status at once and "ready" after the next poll; null when too many listen.</summary>
    public FeedListener? TryListen(CurrentUser caller)
    {
        var listener = new FeedListener(caller);
        if (!_listeners.TryAdd(listener))
        {
            return null;
        }

        listener.Send(FeedEvents.Status(CurrentStatus()));
        Wake();
        return listener;
    }

    /// <summary>The open feeds, for re-checking who holds them.</summary>
    public FeedListener[] Listeners => _listeners.All;

    /// <summary>Ends every feed opened by <paramref name="username"/> (kicked, demoted, disabled).</summary>
    public int EndFor(string username)
    {
        var ended = Listeners.Where(l => l.Caller.Username == username).ToList();
        ended.ForEach(Leave);
        return ended.Count;
    }

    public void Leave(FeedListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listeners.Remove(listener);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_listeners.All.Length == 0)
                {
                    _cursor.Reset(); // a dashboard opened later starts from what storage holds then
                    _sentStatus = null;
                    await _wake.WaitAsync(stoppingToken);
                    continue;
                }

                await PollAsync(stoppingToken);
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(_options.FeedPollMs), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var listeners = _listeners.All;
        try
        {
            var fresh = await _cursor.PollAsync(_storage, stoppingToken);
            var items = fresh.Select(FeedEvents.Of).ToList();
            foreach (var listener in listeners)
            {
                if (listener.Ready)
                {
                    items.ForEach(listener.Send);
                }
                else
                {
                    listener.Ready = true;
                    listener.Send(FeedEvents.Ready);
                }
            }

            if (_failing)
            {
                _failing = false;
                LogRecovered(_logger);
            }
        }
        catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
        {
            if (!_failing)
            {
                _failing = true;
                LogPollFailed(_logger, ex.Message);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Whatever went wrong, the feed must not stop the host (and the chat with it); it tries again next round.
            _failing = true;
            LogPollError(_logger, ex);
        }

        SendStatusIfChanged(listeners);
    }

    private void SendStatusIfChanged(FeedListener[] listeners)
    {
        var status = CurrentStatus();
        var now = _time.GetTimestamp();
        SseItem<string>? item = status != _sentStatus ? FeedEvents.Status(status)
            : _time.GetElapsedTime(_pingedAt, now) >= PingInterval ? FeedEvents.Ping
            : null;
        if (item is { } send)
        {
            _sentStatus = status;
            _pingedAt = now;
            foreach (var listener in listeners)
            {
                listener.Send(send);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard feed cannot read storage: {Reason}; retrying")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dashboard feed failed; retrying")]
    private static partial void LogPollError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The dashboard feed reads storage again")]
    private static partial void LogRecovered(ILogger logger);
}
