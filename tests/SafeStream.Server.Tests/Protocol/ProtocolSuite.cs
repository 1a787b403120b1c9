using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Protocol;

/// <summary>
/// The wire protocol of LEGACY.md §2 and its hardening, over real HTTP and real WebSockets. One thin subclass per
/// storage mode runs all of it, which is what proves that clients cannot tell the modes apart.
/// </summary>
public abstract partial class ProtocolSuite : IAsyncLifetime
{
    private readonly List<SafeStreamApp> _apps = [];
    private SafeStreamApp? _app;

    protected TempFolder Dir { get; } = new();

    protected abstract StorageMode Mode { get; }

    /// <summary>Whether the mode reads the legacy <c>users.json</c> (every mode but DatabaseOnly).</summary>
    protected virtual bool ReadsLegacyFiles => true;

    /// <summary>The PostgreSQL database of the class, for the suites on PostgreSQL; SQLite in the test's folder otherwise.</summary>
    protected virtual PostgresDatabase? Postgres => null;

    /// <summary>The app with the default test settings, started on first use.</summary>
    protected SafeStreamApp App => _app ??= Track(SafeStreamApp.Start(Dir, Mode, WithProvider(null)));

    public async ValueTask InitializeAsync()
    {
        if (Postgres is { } postgres)
        {
            await postgres.ResetAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the app with some settings changed (replacing the default one), optionally on a fake clock or with a seam in its services.</summary>
    protected SafeStreamApp Start(
        IReadOnlyDictionary<string, string?>? overrides = null, FakeTimeProvider? time = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        _app = Track(SafeStreamApp.Start(Dir, Mode, WithProvider(overrides), time, services: services));

    /// <summary>Stops the current app and starts another on the same folder: what survives is what was stored.</summary>
    protected async Task<SafeStreamApp> RestartAsync(IReadOnlyDictionary<string, string?>? overrides = null, FakeTimeProvider? time = null)
    {
        if (_app is not null)
        {
            _apps.Remove(_app);
            await _app.DisposeAsync();
        }

        return Start(overrides, time);
    }

    protected static string[] Names(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name)];

    protected static string Detail(JsonElement json) => json.GetProperty("detail").GetString()!;

    private IReadOnlyDictionary<string, string?>? WithProvider(IReadOnlyDictionary<string, string?>? overrides)
    {
        if (Postgres is not { } postgres)
        {
            return overrides;
        }

        var merged = new Dictionary<string, string?>(postgres.Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return merged;
    }

    private SafeStreamApp Track(SafeStreamApp app)
    {
        _apps.Add(app);
        return app;
    }
}
