using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace SafeStream.Server.Dashboard;

/// <summary>One open dashboard feed: a queue of server-sent events, already serialised.</summary>
public sealed class FeedListener
{
    private const int QueueLength = 1024;

    private readonly Channel<SseItem<string>> _queue = Channel.CreateBounded<SseItem<string>>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>True once the feed has a baseline: what the dashboard reads from storage afterwards, plus the feed, misses nothing.</summary>
    public bool Ready { get; set; }

    public ChannelReader<SseItem<string>> Reader => _queue.Reader;

    /// <summary>Queues an event; a dashboard this far behind is ended, and reconnects and reloads.</summary>
    public void Send(SseItem<string> item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            _queue.Writer.TryComplete();
        }
    }

    public void Complete() => _queue.Writer.TryComplete();
}
