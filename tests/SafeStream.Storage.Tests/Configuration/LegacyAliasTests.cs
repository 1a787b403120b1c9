using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SafeStream.Storage.Tests.Configuration;

/// <summary>The legacy environment names rank like environment variables: above the settings file, below explicit keys.</summary>
public sealed class LegacyAliasTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DatabaseUrlOutranksTheConnectionStringOfTheSettingsFile()
    {
        var options = Resolve(("DATABASE_URL", "sqlite:///legacy/chat.db"));

        Assert.Equal("Data Source=legacy/chat.db", options.ConnectionString);
    }

    [Fact]
    public void AnExplicitStorageKeyOutranksDatabaseUrl()
    {
        var options = Resolve(("DATABASE_URL", "sqlite:///legacy/chat.db"), ("Storage:ConnectionString", "Data Source=explicit.db"));

        Assert.Equal("Data Source=explicit.db", options.ConnectionString);
    }

    [Fact]
    public void APostgresqlDatabaseUrlSwitchesTheProviderToo()
    {
        var options = Resolve(("DATABASE_URL", "postgresql://app:secret@db.example:5433/chat"));

        Assert.Equal(DatabaseProvider.PostgreSQL, options.Provider);
        Assert.Contains("Host=db.example", options.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheAliasTheSettingsFileApplies()
    {
        Assert.Equal("Data Source=data/from-file.db", Resolve().ConnectionString);
    }

    private StorageOptions Resolve(params (string Key, string Value)[] overrides)
    {
        File.WriteAllText(_dir["appsettings.json"], """{ "Storage": { "ConnectionString": "Data Source=data/from-file.db" } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(_dir["appsettings.json"])
            .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSafeStreamStorage(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
