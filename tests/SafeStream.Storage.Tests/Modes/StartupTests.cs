using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>The cold start is paid while the host starts, before anything is served, and never stops the service.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheDatabaseIsReadyWhenTheHostHasStarted()
    {
        using var host = await StartHostAsync(_dir["db/safestream.db"]);
        var router = host.Services.GetRequiredService<StorageRouter>();

        Assert.True(router.Replayer.Warm);
        Assert.True(File.Exists(_dir["db/safestream.db"]));
        Assert.Null(router.Current.LastError);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task AHostWhoseDatabaseCannotBeOpenedStillStartsAndServesFromTheFiles()
    {
        File.WriteAllText(_dir["not-a-folder"], "a file where the database folder should be");

        using var host = await StartHostAsync(_dir["not-a-folder/safestream.db"]);
        var router = host.Services.GetRequiredService<StorageRouter>();
        var storage = host.Services.GetRequiredService<IStorage>();
        await storage.AppendAsync([new TestEvents().Chat("alice", "while the database cannot be opened")], Ct);

        Assert.False(router.Replayer.Warm);
        Assert.NotNull(router.Current.LastError);
        Assert.Equal(1, router.Current.JournalBacklog);
        await host.StopAsync(Ct);
    }

    [Theory]
    [InlineData("DatabaseFirst")]
    [InlineData("DatabaseOnly")]
    public async Task ADatabaseThatVanishedSinceAnEarlierStartStopsTheStartNamingItsPath(string mode)
    {
        using (var host = await StartHostAsync(_dir["db/safestream.db"], mode))
        {
            await host.StopAsync(Ct);
        }

        Stores.DeleteDatabase(new StorageOptions { ConnectionString = $"Data Source={_dir["db/safestream.db"]}" });

        var error = await Assert.ThrowsAsync<DatabaseMissingException>(() => StartHostAsync(_dir["db/safestream.db"], mode));

        Assert.Contains(_dir["db/safestream.db"], error.Message, StringComparison.Ordinal);
        Assert.Contains("has a replay checkpoint", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["db/safestream.db"]));
    }

    [Fact]
    public async Task ABackupOrAnArchiveAlsoTellsThatADatabaseExistedBefore()
    {
        Directory.CreateDirectory(_dir["backups"]);
        File.WriteAllText(_dir["backups/safestream-20261201-before-import.db"], "a backup");

        var error = await Assert.ThrowsAsync<DatabaseMissingException>(() => StartHostAsync(_dir["db/safestream.db"]));

        Assert.Contains("is a database backup or an archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFirstStartCreatesTheDatabaseAndLeavesACheckpointForTheNextStart()
    {
        using var host = await StartHostAsync(_dir["db/safestream.db"]);
        var router = host.Services.GetRequiredService<StorageRouter>();

        Assert.True(router.Db.Created);
        Assert.True(File.Exists(_dir["legacy/journal/checkpoint.json"]));
        await host.StopAsync(Ct);
    }

    private async Task<IHost> StartHostAsync(string database, string mode = "DatabaseFirst")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Storage:Mode", mode),
            new("Storage:ConnectionString", $"Data Source={database}"),
            new("Storage:LegacyPath", _dir["legacy"]),
            new("Storage:BackupsPath", _dir["backups"]),
        ]);
        builder.Services.AddSafeStreamStorage(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }
}
