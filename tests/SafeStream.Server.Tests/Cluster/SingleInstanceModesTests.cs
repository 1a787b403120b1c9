using SafeStream.Server.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>
/// The file modes keep the legacy folder for one server; the database modes share it; on PostgreSQL a configured
/// instance number a live instance holds is refused.
/// </summary>
public sealed class SingleInstanceModesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly TempFolder _dir = new();

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(StorageMode.JsonlOnly, StorageMode.JsonlOnly)]
    [InlineData(StorageMode.DualWrite, StorageMode.DatabaseFirst)]
    [InlineData(StorageMode.DatabaseFirst, StorageMode.DualWrite)]
    public async Task ASecondServerBesideAFileModeServerOnItsLegacyFolderIsRefusedAndSaysWhy(StorageMode first, StorageMode second)
    {
        await using var running = SafeStreamApp.Start(_dir, first);
        var settings = ServerProcess.Settings(_dir, second.ToString());
        settings["Storage:JournalPath"] = _dir["journal-2"];

        var refused = await ServerProcess.StartFailureAsync(_dir, settings);

        var said = refused.Output + refused.Error;
        Assert.True(refused.ExitCode == 1 && said.Contains("keeps the legacy folder", StringComparison.Ordinal), said);
        Assert.Contains(Path.GetFullPath(_dir["legacy/logs"]), said, StringComparison.Ordinal);
        Assert.Equal(200, (await running.GetAsync("/healthz")).Status);
    }

    [Fact]
    public async Task TwoDatabaseModeServersShareALegacyFolderWithJournalsOfTheirOwn()
    {
        await using var first = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, database.Settings);
        await using var second = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, new Dictionary<string, string?>(database.Settings) { ["Storage:JournalPath"] = _dir["journal-2"] });

        Assert.Equal(200, (await second.GetAsync("/healthz")).Status);
    }

    [Fact]
    public async Task OnPostgreSqlAConfiguredInstanceNumberALiveInstanceHoldsIsRefusedAtStart()
    {
        using var otherDir = new TempFolder();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Storage:InstanceId"] = "3" };
        await using var running = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, settings);

        var processSettings = ServerProcess.Settings(otherDir, nameof(StorageMode.DatabaseOnly));
        foreach (var (key, value) in settings)
        {
            processSettings[key] = value;
        }

        var refused = await ServerProcess.StartFailureAsync(otherDir, processSettings);
        await Instances.EventuallyAsync(async () => (await running.GetAsync("/healthz")).Body.GetProperty("fanout").GetProperty("state").GetString() == "listening", "the fan-out listens");
        var (_, health) = await running.GetAsync("/healthz");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Storage:InstanceId 3 is held by another live instance", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Equal(3, health.GetProperty("instance").GetInt32());
        Assert.True(health.GetProperty("fanout").GetProperty("cursor").GetInt64() >= 0);
    }

    [Fact]
    public async Task InstancesStartingOnADatabaseThatDoesNotExistYetDrawDistinctNumbersFromIt()
    {
        await database.DropAsync(); // a fresh deployment: the first instance's first start makes it

        await using var cluster = Instances.Start(database, 2);
        var numbers = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            numbers.Add((await cluster[i].GetAsync("/healthz")).Body.GetProperty("instance").GetInt32());
        }

        Assert.True(await database.ExistsAsync());
        Assert.Equal(2, numbers.Distinct().Count());
        Assert.Equal(2, await database.ScalarAsync(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = '{database.Name}') AND objid IN ({string.Join(", ", numbers)})"));
    }
}
