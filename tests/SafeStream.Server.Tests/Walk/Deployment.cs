using System.Text.Json;
using System.Text.Json.Nodes;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// An operator's deployment folder: <c>appsettings.json</c>, <c>legacy/</c>, <c>data/</c>, <c>backups/</c>. The server
/// and the migration tool run in it as child processes with nothing on their command line but the port, so what they
/// do is what the settings file says; the operator changes it by editing that file, as MIGRATION.md asks.
/// </summary>
public sealed class Deployment : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly JsonObject _settings;

    public Deployment(string mode, IReadOnlyDictionary<string, string>? database = null)
    {
        _settings = new JsonObject
        {
            ["Storage"] = new JsonObject
            {
                ["Mode"] = mode,
                ["Provider"] = database?.GetValueOrDefault("Provider") ?? "Sqlite",
                ["ConnectionString"] = database?.GetValueOrDefault("ConnectionString") ?? "Data Source=data/safestream.db",
                ["LegacyPath"] = "legacy",
                ["ReplayIntervalMs"] = 100,
                ["Resilience"] = new JsonObject { ["TimeoutMs"] = 1500, ["BreakSeconds"] = 1, ["MinimumThroughput"] = 2 },
            },
            ["Jwt"] = new JsonObject { ["SecretKey"] = SafeStreamApp.Secret },
            ["Passwords"] = new JsonObject { ["BcryptCost"] = 4 },
            ["RateLimits"] = new JsonObject { ["LoginsPerMinute"] = 0, ["RegistrationsPerHour"] = 0 },
            ["Limits"] = new JsonObject { ["MessagesPerSecond"] = 0, ["GiftsPerSecond"] = 0 },
            ["Serilog"] = new JsonObject
            {
                ["MinimumLevel"] = new JsonObject { ["Default"] = "Information" },
                ["WriteTo"] = new JsonObject { ["Console"] = new JsonObject { ["Name"] = "Console" } },
            },
        };
        Save();
    }

    public TempFolder Dir => _dir;

    public string this[string relative] => _dir[relative];

    /// <summary>Edits <c>appsettings.json</c> in place, as an editor saves it.</summary>
    public void Edit(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        change(_settings);
        Save();
    }

    public void SetStorage(string key, JsonNode? value) => Edit(s => s["Storage"]![key] = value);

    /// <summary>Saves text that is not JSON at all into <c>appsettings.json</c> (a half-finished edit).</summary>
    public void SaveBroken(string text) => File.WriteAllText(_dir["appsettings.json"], text);

    /// <summary>Saves the settings as they were before <see cref="SaveBroken"/>.</summary>
    public void Save() => File.WriteAllText(_dir["appsettings.json"], _settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Starts the server's dll in the folder and returns once it answers <c>/healthz</c>.</summary>
    public Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(_dir, new Dictionary<string, string?>());

    /// <summary>Runs the migration tool from the folder, as <c>scripts/migrate.sh</c> runs it.</summary>
    public Task<ProcessResult> MigrateAsync(params string[] args) => ServerProcess.RunDllAsync(_dir, "safestream-migrate.dll", args);

    public void Dispose() => _dir.Dispose();
}
