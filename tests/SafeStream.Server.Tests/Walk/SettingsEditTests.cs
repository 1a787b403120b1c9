using System.Text.Json;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// An operator edits the running server's <c>appsettings.json</c>: the step MIGRATION.md asks for goes through, and a
/// typo (a value out of range, a file that is not JSON) is logged, shown and ignored; chat never stops.
/// </summary>
public sealed class SettingsEditTests : IDisposable
{
    private readonly Deployment _site = new("JsonlOnly");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task MovingFromJsonlOnlyToDualWriteOverLegacyFilesKeepsTheServerAndItsSocketsRunning()
    {
        _site.Dir.CopyLegacySample();
        await using var server = await _site.StartServerAsync();
        var token = await server.RegisterAsync("dave");
        await using var dave = await server.ConnectAsync("dave", token);

        _site.SetStorage("Mode", "DualWrite");
        var storage = await server.WaitForStorageAsync(s => s.GetProperty("active_mode").GetString() == "DualWrite");
        await dave.SendChatAsync("after the switch");
        var echo = await dave.ReceiveAsync();

        Assert.False(server.HasExited, server.Output());
        Assert.Equal("after the switch", echo.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("pending_reason").ValueKind);
        Assert.True(File.Exists(_site["data/safestream.db"]), "DualWrite made the database");
        Assert.False(server.Said("BackgroundService failed"), server.Output());
    }

    [Fact]
    public async Task AnInvalidValueSavedWhileRunningIsLoggedShownAndIgnoredUntilFixed()
    {
        await using var server = await _site.StartServerAsync();
        var token = await server.RegisterAsync("dave");
        await using var dave = await server.ConnectAsync("dave", token);

        _site.SetStorage("ReplayIntervalMs", -5);
        var shown = await WaitForRejectedAsync(server, r => r.GetArrayLength() == 1);
        await dave.SendChatAsync("still here");
        var echo = await dave.ReceiveAsync();
        _site.Edit(s =>
        {
            s["Storage"]!["ReplayIntervalMs"] = 100;
            s["Storage"]!["Mode"] = "DualWrite";
        });
        await WaitForRejectedAsync(server, r => r.GetArrayLength() == 0);
        await server.WaitForStorageAsync(s => s.GetProperty("active_mode").GetString() == "DualWrite");

        Assert.StartsWith("Storage:ReplayIntervalMs is invalid", shown[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("still here", echo.GetProperty("message").GetString());
        Assert.False(server.HasExited, server.Output());
        Assert.True(server.Said("Storage:ReplayIntervalMs"), "the log names the key");
    }

    [Fact]
    public async Task ASettingsFileThatIsNotJsonKeepsTheLastReadableSettingsInForce()
    {
        await using var server = await _site.StartServerAsync();
        var token = await server.RegisterAsync("dave");
        await using var dave = await server.ConnectAsync("dave", token);

        _site.SaveBroken("""{ "Storage": { "Mode": "DualWrite", """);
        var shown = await WaitForRejectedAsync(server, r => r.GetArrayLength() == 1);
        await dave.SendChatAsync("still here");
        var echo = await dave.ReceiveAsync();
        var storage = (await server.HealthAsync()).GetProperty("storage");
        _site.Save();
        await WaitForRejectedAsync(server, r => r.GetArrayLength() == 0);

        Assert.Contains("appsettings.json", shown[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("JsonlOnly", storage.GetProperty("active_mode").GetString()); // not the default DatabaseFirst of an empty file
        Assert.Equal("still here", echo.GetProperty("message").GetString());
        Assert.False(server.HasExited, server.Output());
    }

    private static async Task<JsonElement> WaitForRejectedAsync(ServerProcess server, Func<JsonElement, bool> done)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server.HasExited, server.Output());
            var rejected = (await server.HealthAsync()).GetProperty("rejected_settings");
            if (done(rejected))
            {
                return rejected;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"rejected_settings never got there: {rejected}{Environment.NewLine}{server.Output()}");
            await Task.Delay(50, Ct); // the file watcher runs on its own clock
        }
    }
}
