using Microsoft.Extensions.Configuration;

namespace SafeStream.Testing;

/// <summary>Configuration a test changes while the server runs, as an operator edits <c>appsettings.json</c>.</summary>
public sealed class LiveSettings : IConfigurationSource
{
    private readonly Provider _provider = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    /// <summary>Sets a key and signals a reload, so <c>IOptionsMonitor</c> listeners see it.</summary>
    public void Set(string key, string value) => _provider.Set(key, value);

    private sealed class Provider : ConfigurationProvider
    {
        public override void Set(string key, string? value)
        {
            base.Set(key, value);
            OnReload();
        }
    }
}
