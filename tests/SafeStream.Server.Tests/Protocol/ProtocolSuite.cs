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

    /// <summary>The app with the default test settings, started on first use.</summary>
    protected SafeStreamApp App => _app ??= Track(SafeStreamApp.Start(Dir, Mode));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the app with some settings changed (replacing the default one), optionally on a fake clock.</summary>
    protected SafeStreamApp Start(IReadOnlyDictionary<string, string?>? overrides = null, FakeTimeProvider? time = null) =>
        _app = Track(SafeStreamApp.Start(Dir, Mode, overrides, time));

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

    private SafeStreamApp Track(SafeStreamApp app)
    {
        _apps.Add(app);
        return app;
    }
}
