using System.Collections.Concurrent;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>Server instances as real processes on one PostgreSQL, one of them killed with -9 while everyone chats.</summary>
public sealed class ClusterProcessTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempFolder _first = new();
    private readonly TempFolder _second = new();

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _first.Dispose();
        _second.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task KillingOneInstanceMidLoadLosesNoAcknowledgedMessageAndTheOtherServesOn()
    {
        await using var a = await ServerProcess.StartAsync(_first, Settings(_first));
        await using var b = await ServerProcess.StartAsync(_second, Settings(_second));
        await using var alice = await a.ConnectAsync("alice", await a.RegisterAsync("alice"));
        var bobsToken = await b.RegisterAsync("bob");
        await using var bob = await b.ConnectAsync("bob", bobsToken);
        await using var viewer = await b.ConnectAsync("viewer", await b.RegisterAsync("viewer"));
        var acknowledged = new ConcurrentBag<long>();

        using var stop = new CancellationTokenSource();
        var aliceSends = ChatUntilAsync(alice, "alice", acknowledged, stop.Token);
        var bobSends = ChatUntilAsync(bob, "bob", acknowledged, stop.Token);
        await Instances.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 100), "100 messages acknowledged before the kill");
        await a.KillAsync();
        var atKill = acknowledged.Count;
        await Instances.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= atKill + 50), "bob goes on after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(aliceSends, bobSends);
        await bob.SendChatAsync("last");
        var heard = await UntilAsync(viewer, "last");

        // alice's instance journals locally when a commit is slower than its budget: its restart replays that journal.
        await using var restarted = await ServerProcess.StartAsync(_first, Settings(_first));
        await restarted.WaitForStorageAsync(s => s.GetProperty("journal_backlog").GetInt64() == 0 && s.GetProperty("breaker").GetString() == "Closed");
        var ids = acknowledged.ToList();
        var (distinct, rows) = await ChatIdsAsync(ids);

        Assert.Equal((ids.Count, ids.Count), ((int)distinct, (int)rows));
        Assert.Equal("last", heard.Last(f => f.GetProperty("type").GetString() == "chat").GetProperty("message").GetString());
        Assert.Equal(heard.Count(f => f.GetProperty("type").GetString() == "chat"), heard.Where(f => f.GetProperty("type").GetString() == "chat").Select(f => f.GetProperty("id").GetInt64()).Distinct().Count());
    }

    private static async Task<List<System.Text.Json.JsonElement>> UntilAsync(ChatClient viewer, string message)
    {
        var frames = new List<System.Text.Json.JsonElement>();
        do
        {
            frames.Add(await viewer.ReceiveAsync());
        }
        while (!frames[^1].TryGetProperty("message", out var text) || text.GetString() != message);

        return frames;
    }

    private Dictionary<string, string?> Settings(TempFolder dir)
    {
        var settings = ServerProcess.Settings(dir, "DatabaseFirst");
        foreach (var (key, value) in database.Settings)
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<(long Distinct, long Rows)> ChatIdsAsync(List<long> ids)
    {
        var list = string.Join(",", ids);
        return (await database.ScalarAsync($"SELECT count(DISTINCT id) FROM chat_messages WHERE id IN ({list})"), await database.ScalarAsync($"SELECT count(*) FROM chat_messages WHERE id IN ({list})"));
    }

    /// <summary>Sends one message at a time and counts it once its echo came back (stored); a socket that died ends it.</summary>
    private static async Task ChatUntilAsync(ChatClient client, string username, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await client.SendChatAsync($"{username} {i}");
                while (true)
                {
                    var frame = await client.ReceiveAsync();
                    if (frame.TryGetProperty("user", out var user) && user.GetString() == username && frame.GetProperty("message").GetString() == $"{username} {i}")
                    {
                        acknowledged.Add(frame.GetProperty("id").GetInt64());
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or Xunit.Sdk.XunitException)
        {
            // alice's instance was killed under her
        }
    }
}
