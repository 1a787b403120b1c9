using System.Text.Json;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Backups;

/// <summary>
/// The restore drill, on each provider: the server's dll under chat load, <c>backup</c> while it runs, more chat,
/// kill -9, <c>restore</c>, start again. Whatever was acknowledged before the backup began is there exactly once, a
/// new message's id is above every id acknowledged before (restored or lost), and <c>check</c> passes.
/// </summary>
public abstract class RestoreDrill : IDisposable
{
    protected TempFolder Dir { get; } = new();

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EveryMessageAcknowledgedBeforeTheBackupIsThereExactlyOnceAfterAKillAndARestore()
    {
        var settings = Settings();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Mark(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s {what}");
        List<long> beforeBackup;
        IReadOnlyList<long> acknowledged;
        ProcessResult backup;
        await using (var server = await ServerProcess.StartAsync(Dir, settings))
        {
            await using var load = await ChatLoad.StartAsync(server, clients: 3);
            Mark("started");
            await load.WaitForAsync(60);
            Mark("60 acknowledged");
            beforeBackup = [.. load.Acknowledged()];
            backup = await ServerProcess.RunToolAsync(Dir, settings, "backup", "--json");
            Mark("backup");
            await load.WaitForAsync(Math.Max(beforeBackup.Count, load.Acknowledged().Count) + 40); // more chat after the backup
            await load.StopAsync();
            acknowledged = load.Acknowledged();
            await server.KillAsync();
            Mark("killed");
        }

        Assert.True(backup.ExitCode == 0, backup.Error);
        var file = JsonDocument.Parse(backup.Output).RootElement.GetProperty("file").GetString()!;
        var restore = await RestoreAsync(settings, file);
        Assert.True(restore.ExitCode == 0, restore.Error + restore.Output);
        Mark("restored");
        var stored = await StoredChatIdsAsync();
        long fresh;
        await using (var server = await ServerProcess.StartAsync(Dir, settings))
        {
            var token = await server.RegisterAsync("newcomer");
            await using var client = await server.ConnectAsync("newcomer", token);
            await client.SendChatAsync("after the restore");
            fresh = (await client.ReceiveAsync()).GetProperty("id").GetInt64();
        }

        Mark("started again");
        var check = await ServerProcess.RunToolAsync(Dir, settings, "check");
        Mark("checked");

        Assert.Contains("Restored", restore.Output, StringComparison.Ordinal);
        Assert.Empty(beforeBackup.Except(stored));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.All(beforeBackup, id => Assert.Single(stored, id));
        Assert.True(stored.Count < acknowledged.Count, "the chat after the backup is not in it (the drill would prove nothing otherwise)");
        Assert.True(fresh > acknowledged.Max(), $"new id {fresh} is not above every id acknowledged before ({acknowledged.Max()})");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    protected abstract Dictionary<string, string?> Settings();

    /// <summary>Every chat id in the configured database, read directly.</summary>
    protected abstract Task<IReadOnlyList<long>> StoredChatIdsAsync();

    protected virtual Task<ProcessResult> RestoreAsync(Dictionary<string, string?> settings, string file) =>
        ServerProcess.RunToolAsync(Dir, settings, "restore", file);
}

public sealed class SqliteRestoreDrill : RestoreDrill
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = ServerProcess.Settings(Dir, "DatabaseFirst");
        settings["Backup:IntervalHours"] = "0";
        settings["Serilog:MinimumLevel:Default"] = "Warning";
        return settings;
    }

    protected override Task<IReadOnlyList<long>> StoredChatIdsAsync() =>
        Task.FromResult<IReadOnlyList<long>>(DatabaseProbe.Ids(Dir["db/safestream.db"], "chat_messages"));
}
