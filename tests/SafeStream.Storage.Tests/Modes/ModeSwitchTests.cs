using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

public sealed class ModeSwitchTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AModeFlippedInTheConfigFileReachesTheRunningRouter()
    {
        using var host = await StartHostAsync("JsonlOnly");
        var router = host.Services.GetRequiredService<StorageRouter>();
        var changed = NextModeChange(router);

        WriteConfig("DualWrite");
        var mode = await changed.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(StorageMode.DualWrite, mode);
        Assert.Equal(StorageMode.DualWrite, router.Current.ActiveMode);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task AnInvalidModeWrittenWhileRunningIsIgnoredAndTheNextValidOneApplies()
    {
        using var host = await StartHostAsync("JsonlOnly");
        var router = host.Services.GetRequiredService<StorageRouter>();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        configuration.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        var changed = NextModeChange(router);

        WriteConfig("Bogus");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var afterBogus = router.Current;
        WriteConfig("DatabaseFirst");
        var mode = await SavedAgainUnlessSeenAsync(changed, "DatabaseFirst");

        Assert.Equal((StorageMode.JsonlOnly, StorageMode.JsonlOnly), (afterBogus.RequestedMode, afterBogus.ActiveMode));
        Assert.Equal(StorageMode.DatabaseFirst, mode);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task DatabaseOnlyWaitsUntilTheJournalIsReplayedThenApplies()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Stores.Options(_dir);
        await using var router = Stores.Router(options, time);
        await router.Replayer.WarmUpAsync(Ct);
        var path = Stores.DatabasePath(options);
        File.Move(path, path + ".away");
        await router.AppendAsync([new TestEvents().Chat("alice", "spilled")], Ct);

        router.RequestMode(StorageMode.DatabaseOnly);
        var refused = router.Current;
        File.Move(path + ".away", path);
        var changed = NextModeChange(router);
        time.Advance(TimeSpan.FromSeconds(2));
        await router.ReplayAsync(Ct);

        Assert.Equal((StorageMode.DatabaseOnly, StorageMode.DatabaseFirst), (refused.RequestedMode, refused.ActiveMode));
        Assert.Contains("1 journalled records", refused.PendingReason, StringComparison.Ordinal);
        Assert.Equal(StorageMode.DatabaseOnly, await changed.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.Null(router.Current.PendingReason);
    }

    [Fact]
    public async Task AStartInDatabaseOnlyWithABacklogRunsDatabaseFirstUntilItIsReplayed()
    {
        var options = Stores.Options(_dir);
        await using (var first = Stores.Router(options))
        {
            await first.Replayer.WarmUpAsync(Ct);
            Stores.DeleteDatabase(options);
            await first.AppendAsync([new TestEvents().Chat("alice", "spilled")], Ct);
        }

        options.Mode = StorageMode.DatabaseOnly;
        await using var restarted = Stores.Router(options);
        var atStart = restarted.Current;
        await restarted.ReplayAsync(Ct);

        Assert.Equal(StorageMode.DatabaseFirst, atStart.ActiveMode);
        Assert.Equal(StorageMode.DatabaseOnly, restarted.Current.ActiveMode);
        Assert.Equal(1, DatabaseProbe.Scalar(options, "SELECT COUNT(*) FROM chat_messages"));
    }

    /// <summary>
    /// The framework's file watcher can miss a save that lands while it re-arms after the previous one (two saves
    /// milliseconds apart, on a loaded machine): an operator whose save was not picked up saves again, and so does this.
    /// </summary>
    private async Task<StorageMode> SavedAgainUnlessSeenAsync(Task<StorageMode> changed, string mode)
    {
        if (await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(15), Ct)) != changed)
        {
            WriteConfig(mode);
        }

        return await changed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static Task<StorageMode> NextModeChange(StorageRouter router)
    {
        var changed = new TaskCompletionSource<StorageMode>(TaskCreationOptions.RunContinuationsAsynchronously);
        router.ModeChanged += mode => changed.TrySetResult(mode);
        return changed.Task;
    }

    private async Task<IHost> StartHostAsync(string mode)
    {
        WriteConfig(mode);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddJsonFile(_dir["appsettings.json"], optional: false, reloadOnChange: true);
        builder.Services.AddSafeStreamStorage(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    private void WriteConfig(string mode) =>
        File.WriteAllText(_dir["appsettings.json"], $$"""
            {
              "Storage": {
                "Mode": "{{mode}}",
                "ConnectionString": "Data Source={{_dir["db/safestream.db"]}}",
                "LegacyPath": "{{_dir["legacy"]}}"
              }
            }
            """);
}
