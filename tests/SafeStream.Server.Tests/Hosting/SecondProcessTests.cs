using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>
/// The server's dll as a real process beside other real processes on the same storage: admin commands, a second
/// server. Whatever only works while the server is alone fails here.
/// </summary>
public sealed class SecondProcessTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Database => _dir["db/safestream.db"];

    private string Journal => _dir["legacy/journal"];

    [Fact]
    public async Task AnAdminCommandDuringAnOutageLeavesTheServersJournalAloneAndNoAcknowledgedMessageIsLost()
    {
        _dir.CopyLegacySample(); // alice exists only in users.json
        var settings = ServerProcess.Settings(_dir, "DatabaseFirst");
        await using var server = await ServerProcess.StartAsync(_dir, settings);
        var token = await server.RegisterAsync("dave");
        await using var dave = await server.ConnectAsync("dave", token);
        var usersBefore = await File.ReadAllTextAsync(_dir["legacy/users.json"], Ct);

        ProcessResult tool;
        using (LockDatabase())
        {
            tool = await ServerProcess.RunToolAsync(_dir, settings, "grant-admin", "alice");
        }

        var ids = new List<long>();
        using (LockDatabase())
        {
            for (var i = 0; i < 5; i++)
            {
                await dave.SendChatAsync($"during the next outage {i}");
                ids.Add((await dave.ReceiveAsync()).GetProperty("id").GetInt64()); // acknowledged: stored, then delivered
            }
        }

        var storage = await server.WaitForStorageAsync(s => s.GetProperty("journal_backlog").GetInt64() == 0 && s.GetProperty("breaker").GetString() == "Closed");

        Assert.Equal(1, tool.ExitCode);
        Assert.Contains(Path.GetFullPath(Journal), tool.Error, StringComparison.Ordinal);
        Assert.Contains($"pid {server.Id}", tool.Error, StringComparison.Ordinal);
        Assert.Equal(usersBefore, await File.ReadAllTextAsync(_dir["legacy/users.json"], Ct)); // nothing half-done
        Assert.Equal((5L, 5L, 0L), DatabaseProbe.ChatIds(Database, ids));
        Assert.Equal(0, storage.GetProperty("journal_backlog").GetInt64());
    }

    [Fact]
    public async Task ASecondServerIsRefusedTheJournalAndTheInstanceNumberTheFirstHolds()
    {
        var settings = ServerProcess.Settings(_dir, "DatabaseFirst");
        settings["Storage:InstanceId"] = "0"; // configured: an unset number is the first free one
        await using var first = await ServerProcess.StartAsync(_dir, settings);

        var sameJournal = await ServerProcess.StartFailureAsync(_dir, new Dictionary<string, string?>(settings) { ["Storage:InstanceId"] = "1" });
        var sameInstance = await ServerProcess.StartFailureAsync(_dir, new Dictionary<string, string?>(settings) { ["Storage:JournalPath"] = _dir["journal-2"] });
        var health = await first.HealthAsync();

        Assert.NotEqual(0, sameJournal.ExitCode);
        Assert.Contains($"the journal folder {Path.GetFullPath(Journal)} belongs to another process (pid {first.Id}", sameJournal.Output + sameJournal.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, sameInstance.ExitCode);
        Assert.Contains($"Storage:InstanceId 0 is held by another live process (pid {first.Id}", sameInstance.Output + sameInstance.Error, StringComparison.Ordinal);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AdminCommandsRunningBesideABusyFileModeServerLoseNoLineAndNoAccount()
    {
        var settings = ServerProcess.Settings(_dir, "JsonlOnly");
        settings["Storage:LogMaxBytes"] = "4096"; // rotations while the others append
        settings["Storage:LogBackups"] = "100";
        await using var server = await ServerProcess.StartAsync(_dir, settings);
        var targets = Enumerable.Range(0, 6).Select(i => $"target{i}").ToList();
        foreach (var target in targets)
        {
            await server.RegisterAsync(target);
        }

        var token = await server.RegisterAsync("chatty");
        await using var chatty = await server.ConnectAsync("chatty", token);

        using var stop = new CancellationTokenSource();
        var chat = ChatUntilAsync(chatty, stop.Token);
        var registrations = RegisterUntilAsync(server, stop.Token);
        var tools = await Task.WhenAll(targets.Select(t => ServerProcess.RunToolAsync(_dir, settings, "grant-admin", t)));
        await stop.CancelAsync();
        var sent = await chat;
        var registered = await registrations;

        var users = JsonDocument.Parse(await File.ReadAllTextAsync(_dir["legacy/users.json"], Ct)).RootElement;
        var lines = Directory.EnumerateFiles(_dir["legacy/logs"], "chat_*").SelectMany(File.ReadLines).ToList();
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ids = events.Select(e => e.GetProperty("id").GetInt64()).ToList();

        Assert.All(tools, t => Assert.True(t.ExitCode == 0, t.Error));
        Assert.All(targets, t => Assert.True(users.GetProperty(t).GetProperty("is_admin").GetBoolean(), $"{t} lost its admin flag"));
        Assert.All(registered, r => Assert.True(users.TryGetProperty(r, out _), $"{r} lost its account"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Subset(ids.ToHashSet(), sent.ToHashSet());
        Assert.Equal(targets.Order(), events.Where(e => e.GetProperty("type").GetString() == "admin_action").Select(e => e.GetProperty("target_user").GetString()!).Order());
        Assert.True(Directory.EnumerateFiles(_dir["legacy/logs"], "chat_*").Count() > 1, "the logs were rotated meanwhile");
    }

    [Fact]
    public async Task AServerWhoseDatabaseVanishedRefusesToStartInsteadOfMakingAnEmptyOne()
    {
        var settings = ServerProcess.Settings(_dir, "DatabaseOnly");
        await using (var first = await ServerProcess.StartAsync(_dir, settings))
        {
            await first.RegisterAsync("carol");
        }

        var typo = new Dictionary<string, string?>(settings) { ["Storage:ConnectionString"] = $"Data Source={_dir["db/safestraem.db"]}" };
        var refused = await ServerProcess.StartFailureAsync(_dir, typo);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"The database {_dir["db/safestraem.db"]} does not exist, and this is not a first start", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["db/safestraem.db"]));
    }

    private static async Task<List<long>> ChatUntilAsync(ChatClient client, CancellationToken stop)
    {
        var ids = new List<long>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            await client.SendChatAsync($"line {i} while the tools run");
            ids.Add((await client.ReceiveAsync()).GetProperty("id").GetInt64());
        }

        return ids;
    }

    private static async Task<List<string>> RegisterUntilAsync(ServerProcess server, CancellationToken stop)
    {
        var names = new List<string>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            await server.RegisterAsync($"newcomer{i}");
            names.Add($"newcomer{i}");
        }

        return names;
    }

    /// <summary>Another process's write lock on the database (this test process is another process to the server).</summary>
    private SqliteConnection LockDatabase()
    {
        var locker = new SqliteConnection($"Data Source={Database};Pooling=False");
        locker.Open();
        using var begin = locker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO settings (key, value) VALUES ('held', 'by the test');";
        begin.ExecuteNonQuery();
        return locker;
    }
}
