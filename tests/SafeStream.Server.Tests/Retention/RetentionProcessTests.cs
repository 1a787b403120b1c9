using System.Collections.Concurrent;
using System.Text.Json;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Server.Tests.Retention;

/// <summary>Retention as an operator runs it: <c>prune</c> in a process of its own beside a server process under chat load, on both providers.</summary>
public sealed class RetentionProcessTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(40);
    private static readonly TimeSpan Kept = TimeSpan.FromDays(10);
    private readonly TempFolder _dir = new();

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSQL")]
    public async Task PruneUnderChatLoadRemovesExactlyTheOldEventsNeverAnAdminActionAndAJournalReplayedAfterDoesNotBringThemBack(string provider)
    {
        var postgres = provider == "PostgreSQL" ? database : null;
        var options = RetentionSeed.Options(_dir, postgres);
        var settings = RetentionSeed.ServerSettings(_dir, postgres);
        var oldChat = RetentionSeed.Chat(200, Old);
        var oldGifts = RetentionSeed.Gifts(60, Old);
        var oldActions = RetentionSeed.Actions(15, Old);
        var keptChat = RetentionSeed.Chat(50, Kept, "kept");
        var keptGifts = RetentionSeed.Gifts(10, Kept);
        await RetentionSeed.InsertAsync(options, [.. oldChat, .. oldGifts, .. oldActions, .. keptChat, .. keptGifts]);
        var acknowledged = new ConcurrentBag<long>();

        ProcessResult dry, pruned;
        HashSet<long> chatAfterDryRun;
        await using (var server = await ServerProcess.StartAsync(_dir, settings))
        {
            using var stop = new CancellationTokenSource();
            var load = await StartLoadAsync(server, acknowledged, stop.Token);
            await Instances(() => acknowledged.Count >= 50, "chat under way");
            dry = await ServerProcess.RunToolAsync(_dir, settings, "prune", "--dry-run", "--json");
            chatAfterDryRun = await RetentionSeed.IdsAsync(options, EventKind.Chat);
            pruned = await ServerProcess.RunToolAsync(_dir, settings, "prune", "--json");
            var atPrune = acknowledged.Count;
            await Instances(() => acknowledged.Count >= atPrune + 50, "chat goes on after the run");
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        var chat = await RetentionSeed.IdsAsync(options, EventKind.Chat);
        var gifts = await RetentionSeed.IdsAsync(options, EventKind.Gift);
        var actions = await RetentionSeed.ActionsAsync(options);

        // A journal left from the past (an outage long ago), replayed by the next start, after the run.
        var journalledOld = RetentionSeed.Chat(20, Old + TimeSpan.FromDays(5), "journalled");
        var journalledNew = RetentionSeed.Chat(5, TimeSpan.FromDays(2), "recent");
        await RetentionSeed.JournalAsync(options, [.. journalledOld, .. oldChat.Take(10), .. oldGifts.Take(5), .. journalledNew]);
        await using (var restarted = await ServerProcess.StartAsync(_dir, settings))
        {
            await restarted.WaitForStorageAsync(s => s.GetProperty("journal_backlog").GetInt64() == 0);
        }

        var chatAfterReplay = await RetentionSeed.IdsAsync(options, EventKind.Chat);
        var giftsAfterReplay = await RetentionSeed.IdsAsync(options, EventKind.Gift);

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Equal((200L, 60L), Counts(dry.Output));
        Assert.Superset(oldChat.Select(e => e.Id).ToHashSet(), chatAfterDryRun); // a dry run removes nothing
        Assert.True(pruned.ExitCode == 0, pruned.Error);
        Assert.Equal((200L, 60L), Counts(pruned.Output));
        Assert.Equal(keptChat.Select(e => e.Id).Concat(acknowledged).Order(), chat.Order());
        Assert.Equal(keptGifts.Select(e => e.Id).Order(), gifts.Order());
        Assert.Superset(oldActions.Select(e => e.Id).ToHashSet(), actions.Select(a => a.Id).ToHashSet());
        var record = Assert.Single(actions, a => a.Admin == Pruner.Actor);
        var details = JsonDocument.Parse(record.Details!).RootElement;
        Assert.Equal((200, 60), (details.GetProperty("chat").GetInt32(), details.GetProperty("gifts").GetInt32()));
        Assert.Equal(JsonDocument.Parse(pruned.Output).RootElement.GetProperty("record_id").GetInt64(), record.Id);
        Assert.Equal(chat.Concat(journalledNew.Select(e => e.Id)).Order(), chatAfterReplay.Order());
        Assert.Equal(gifts.Order(), giftsAfterReplay.Order());
    }

    private static (long Chat, long Gifts) Counts(string json)
    {
        var kinds = JsonDocument.Parse(json).RootElement.GetProperty("kinds").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("database").GetInt64());
        Assert.Equal(0, kinds["admin_actions"]);
        return (kinds["chat"], kinds["gifts"]);
    }

    private static Task Instances(Func<bool> done, string what) => Cluster.Instances.EventuallyAsync(() => Task.FromResult(done()), what, TimeSpan.FromSeconds(60));

    /// <summary>Three chatters, each sending its next message once the last came back stored; their ids are collected.</summary>
    private static async Task<Task[]> StartLoadAsync(ServerProcess server, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        var load = new List<Task>();
        foreach (var name in new[] { "ann", "ben", "cat" })
        {
            var client = await server.ConnectAsync(name, await server.RegisterAsync(name));
            load.Add(ChatAsync(client, name, acknowledged, stop));
        }

        return [.. load];
    }

    private static async Task ChatAsync(ChatClient client, string username, ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        await using (client)
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
    }
}
