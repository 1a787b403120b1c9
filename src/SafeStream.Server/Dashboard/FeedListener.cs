using System.Net.ServerSentEvents;
using System.Threading.Channels;
using SafeStream.Server.Auth;

namespace SafeStream.Server.Dashboard;

/// <summary>One open dashboard feed: a queue of server-sent events, already serialised, and whose token opened it.</summary>
internal sealed class FeedListener(CurrentUser caller)
{
    private const int QueueLength = 1024;

    private readonly Channel<SseItem<string>> _queue = Channel.CreateBounded<SseItem<string>>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>True once the feed has a baseline: what the dashboard reads from storage afterwards, plus the feed, misses nothing.</summary>
    public bool Ready { get; set; }

    public ChannelReader<SseItem<string>> Reader => _queue.Reader;

    /// <summary>The admin who opened the feed, with the token checked again while it runs.</summary>
    public CurrentUser Caller => caller;

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
