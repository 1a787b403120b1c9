using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>Phase F: with LegacyRetired the service refuses to start while legacy settings or files are around.</summary>
public sealed class LegacyRetirementTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheServiceRefusesToStartWhileLegacyFilesExistAndNamesThem()
    {
        var legacy = _dir.CopyLegacySample();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(("Storage:Mode", "DatabaseOnly")));

        Assert.Contains(Path.Combine(legacy, "users.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("chat_2025-06-28.jsonl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceRefusesToStartWhileALegacyPathIsConfigured()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(("Storage:Mode", "DatabaseOnly"), ("SAFESTREAM_USERS_FILE", _dir["elsewhere/users.json"])));

        Assert.Contains("Storage:UsersFile (or SAFESTREAM_USERS_FILE) is still configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetiredFilesNeedDatabaseOnly()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(("Storage:Mode", "DatabaseFirst")));

        Assert.Contains("requires Storage:Mode=DatabaseOnly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheFilesArchivedTheServiceStartsAndCreatesNoLegacyFolder()
    {
        await CreateDatabaseAsync();
        using var host = await StartAsync(("Storage:Mode", "DatabaseOnly"));
        var storage = host.Services.GetRequiredService<IStorage>();

        await storage.AppendAsync([new TestEvents().Chat("alice", "phase F")], Ct);
        await host.StopAsync(Ct);

        Assert.False(Directory.Exists(_dir["legacy"]));
    }

    [Fact]
    public async Task WithTheFilesArchivedAMissingDatabaseStopsTheStartInsteadOfBeingMadeAnew()
    {
        var error = await Assert.ThrowsAsync<DatabaseMissingException>(() => StartAsync(("Storage:Mode", "DatabaseOnly")));

        Assert.Contains(_dir["db/safestream.db"], error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:LegacyRetired is set", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["db/safestream.db"]));
    }

    // Phase F follows an import: the database is there before the files are retired.
    private async Task CreateDatabaseAsync()
    {
        await using var store = Stores.Database(new StorageOptions { ConnectionString = $"Data Source={_dir["db/safestream.db"]}" });
        await store.EnsureReadyAsync(Ct);
    }

    private async Task<IHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LegacyRetired"] = "true",
            ["Storage:ConnectionString"] = $"Data Source={_dir["db/safestream.db"]}",
            ["Storage:LegacyPath"] = _dir["legacy"],
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddSafeStreamStorage(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }
}
