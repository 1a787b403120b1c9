using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Backups;

/// <summary>
/// Real WebSocket clients chatting against a server process, each sending its next message once the previous one was
/// acknowledged (its own frame came back with an id: stored, then delivered). Keeps every acknowledged id in order.
/// </summary>
internal sealed class ChatLoad : IAsyncDisposable
{
    private readonly List<ChatClient> _clients;
    private readonly List<long> _acknowledged = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops;

    private ChatLoad(List<ChatClient> clients)
    {
        _clients = clients;
        _loops = [.. clients.Select(c => Task.Run(() => ChatAsync(c)))];
    }

    public static async Task<ChatLoad> StartAsync(ServerProcess server, int clients)
    {
        var connected = new List<ChatClient>();
        for (var i = 0; i < clients; i++)
        {
            var name = $"talker{i}";
            connected.Add(await server.ConnectAsync(name, await server.RegisterAsync(name)));
        }

        return new ChatLoad(connected);
    }

    /// <summary>Every id acknowledged so far, in the order the acknowledgements arrived.</summary>
    public IReadOnlyList<long> Acknowledged()
    {
        lock (_acknowledged)
        {
            return [.. _acknowledged];
        }
    }

    public async Task WaitForAsync(int count)
    {
        while (Acknowledged().Count < count)
        {
            Assert.False(_loops.Any(l => l.IsFaulted), "a chat client failed");
            await Task.Delay(20, Ct); // acknowledgements arrive on the clients' own loops
        }
    }

    /// <summary>Stops sending; each client finishes the message it is waiting for.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task ChatAsync(ChatClient client)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var text = $"{client.Username} says {i}";
            await client.SendChatAsync(text);
            while (true)
            {
                var frame = await client.ReceiveAsync();
                if (frame.GetProperty("type").GetString() == "chat" && frame.GetProperty("message").GetString() == text)
                {
                    lock (_acknowledged)
                    {
                        _acknowledged.Add(frame.GetProperty("id").GetInt64());
                    }

                    break;
                }
            }
        }
    }
}
