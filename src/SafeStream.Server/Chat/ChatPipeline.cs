using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

/// <summary>
/// Moderated chat messages on their way out: numbered in arrival order, persisted in batches (one
/// <see cref="IStorage.AppendAsync"/> per batch, several batches in flight so the database's group commit fills up),
/// and delivered in order only once stored. A message storage refused is answered with an error frame to its sender.
/// </summary>
internal sealed partial class ChatPipeline(
    IStorage storage,
    EventIdGenerator ids,
    TimeProvider time,
    ChatHub hub,
    IOptions<LimitsOptions> options,
    ServerMetrics metrics,
    ILogger<ChatPipeline> logger)
    : BackgroundService
{
    private const int BatchesInFlight = 4;

    // A batch lands in every send queue at once, so it must be small next to the queue, or a healthy client
    // that is one batch behind would look slow.
    private readonly int _maxBatch = Math.Clamp(options.Value.SendQueueFrames / 4, 1, 512);

    private readonly Channel<Inbound> _inbound = Channel.CreateBounded<Inbound>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Channel<Batch> _stored = Channel.CreateBounded<Batch>(
        new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a moderated message; waits (holding up only its sender) while the pipeline is full.</summary>
    public ValueTask SubmitAsync(ChatConnection sender, string text, double score, bool toxic, CancellationToken cancellationToken) =>
        _inbound.Writer.WriteAsync(new Inbound(sender, text, score, toxic, time.GetTimestamp()), cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => PersistAsync(stoppingToken), stoppingToken), Task.Run(() => DeliverAsync(stoppingToken), stoppingToken));

    private async Task PersistAsync(CancellationToken stoppingToken)
    {
        var reader = _inbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var senders = new List<ChatConnection>();
                var received = new List<long>();
                var messages = new List<StorageEvent>();
                while (messages.Count < _maxBatch && reader.TryRead(out var item))
                {
                    senders.Add(item.Sender);
                    received.Add(item.ReceivedAt);

                    // Toxic messages are stored and counted but blocked: only their sender sees them.
                    messages.Add(new ChatMessage(
                        ids.Next(), item.Sender.Username, item.Text, Toxic: item.Toxic, Score: item.Score, Blocked: item.Toxic, Ts: time.GetUtcNow()));
                }

                await _stored.Writer.WriteAsync(new Batch(senders, received, messages, Append(messages)), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _stored.Writer.TryComplete();
        }
    }

    private Task Append(List<StorageEvent> messages)
    {
        try
        {
            return storage.AppendAsync(messages, CancellationToken.None);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex); // a store that fails before its first await
        }
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _stored.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await batch.Stored;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Refuse(batch, ex);
                    continue;
                }

                metrics.Accepted(batch.Messages.Count);
                for (var i = 0; i < batch.Messages.Count; i++)
                {
                    var message = (ChatMessage)batch.Messages[i];
                    var frame = Frames.Chat(message);
                    if (message.Blocked)
                    {
                        batch.Senders[i].TrySend(frame);
                    }
                    else
                    {
                        hub.Broadcast(frame, message.Id);
                    }

                    metrics.DeliveredAfter(batch.Received[i], time);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Refuse(Batch batch, Exception ex)
    {
        byte[] frame;
        if (ex is StorageUnavailableException)
        {
            LogNotStored(logger, batch.Messages.Count, ex.Message);
            frame = Frames.Error("Storage unavailable", "The message was not stored; try again shortly (the operator's log says why)."); // the reason may name paths or hosts
        }
        else
        {
            LogFailed(logger, ex, batch.Messages.Count);
            frame = Frames.Error("Internal error", "The message was not stored.");
        }

        foreach (var sender in batch.Senders)
        {
            sender.TrySend(frame);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} chat messages were not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} chat messages failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);

    private readonly record struct Inbound(ChatConnection Sender, string Text, double Score, bool Toxic, long ReceivedAt);

    private sealed record Batch(List<ChatConnection> Senders, List<long> Received, List<StorageEvent> Messages, Task Stored);
}
