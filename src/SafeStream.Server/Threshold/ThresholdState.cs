using System.Globalization;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Threshold;

/// <summary>
/// The toxicity threshold every chat message is compared with. The stored setting wins over
/// <c>Moderation:Threshold</c>; it is kept in memory for the chat path and re-read every few seconds (another
/// instance or a mode change may have changed what storage answers).
/// </summary>
public sealed partial class ThresholdState(IStorage storage, IOptions<ModerationThresholdOptions> options, TimeProvider time, ILogger<ThresholdState> logger)
    : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShareReadsFor = TimeSpan.FromSeconds(1);
    private double _current = options.Value.Threshold;
    private long _readAt = long.MinValue;

    public double Current => Volatile.Read(ref _current);

    /// <summary>
    /// The threshold for a public read: the stored value, read again at most once a second however many ask (the
    /// endpoint is anonymous and must not turn a flood of requests into a flood of storage reads).
    /// </summary>
    public Task<double> ReadAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _readAt) is var at && at != long.MinValue && time.GetElapsedTime(at) < ShareReadsFor
            ? Task.FromResult(Current)
            : RefreshAsync(cancellationToken);

    /// <summary>Reads the stored threshold (or the configured one when none is stored) and answers it.</summary>
    public async Task<double> RefreshAsync(CancellationToken cancellationToken)
    {
        var stored = await storage.GetSettingAsync(SettingKeys.ToxicityThreshold, cancellationToken);
        var value = double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
            ? parsed
            : options.Value.Threshold;
        Volatile.Write(ref _current, value);
        Volatile.Write(ref _readAt, time.GetTimestamp());
        return value;
    }

    /// <summary>Stores a new threshold; it applies to the next message once stored.</summary>
    public async Task SetAsync(double value, CancellationToken cancellationToken)
    {
        await storage.SetSettingAsync(SettingKeys.ToxicityThreshold, value.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        Volatile.Write(ref _current, value);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryRefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, time);
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

    private async Task TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
        {
            LogRefreshFailed(logger, Current, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Toxicity threshold not read from storage, keeping {Threshold}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, double threshold, string reason);
}
