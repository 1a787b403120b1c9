using System.Globalization;
using Microsoft.Extensions.Options;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Threshold;

/// <summary>
/// The toxicity threshold every chat message is compared with. The stored setting wins over
/// <c>Moderation:Threshold</c>; it is kept in memory for the chat path and re-read every few seconds (another
/// instance or a mode change may have changed what storage answers).
/// </summary>
internal sealed partial class ThresholdState : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShareReadsFor = TimeSpan.FromSeconds(1);

    private readonly IStorage _storage;
    private readonly double _configured;
    private readonly TimeProvider _time;
    private readonly ILogger<ThresholdState> _logger;
    private readonly ReadCache<double> _reads;
    private double _current;

    public ThresholdState(IStorage storage, IOptions<ModerationThresholdOptions> options, TimeProvider time, ILogger<ThresholdState> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_storage, _configured, _time, _logger) = (storage, options.Value.Threshold, time, logger);
        _current = _configured;
        _reads = new(LoadAsync, ShareReadsFor, time);
    }

    public double Current => Volatile.Read(ref _current);

    /// <summary>
    /// The threshold for a public read: the stored value (or the configured one when none is stored), read again at
    /// most once a second however many ask (the endpoint is anonymous and must not turn a flood of requests into a
    /// flood of storage reads).
    /// </summary>
    public Task<double> ReadAsync(CancellationToken cancellationToken) => _reads.GetAsync(cancellationToken);

    /// <summary>Stores a new threshold; it applies to the next message once stored.</summary>
    public async Task SetAsync(double value, CancellationToken cancellationToken)
    {
        await _storage.SetSettingAsync(SettingKeys.ToxicityThreshold, value.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        Volatile.Write(ref _current, value);
        _reads.Invalidate();
    }

    /// <summary>Reads the stored threshold again now (another instance changed it).</summary>
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        _reads.Invalidate();
        return TryRefreshAsync(cancellationToken);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryRefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TryRefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<double> LoadAsync()
    {
        var stored = await _storage.GetSettingAsync(SettingKeys.ToxicityThreshold);
        var value = double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
            ? parsed
            : _configured;
        Volatile.Write(ref _current, value);
        return value;
    }

    private async Task TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _reads.GetAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
        {
            LogRefreshFailed(_logger, Current, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Toxicity threshold not read from storage, keeping {Threshold}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, double threshold, string reason);
}
