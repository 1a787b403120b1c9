using Microsoft.Data.Sqlite;
using SafeStream.Server.Hosting;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>In <c>DatabaseOnly</c> an outage answers 503 with a fixed text: the storage error (paths, hosts, roles) is the log's.</summary>
public sealed class StorageErrorTextTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task AnOutageTellsAnonymousCallersAndSocketsAFixedTextThatNamesNoPath()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseOnly, new Dictionary<string, string?> { ["Limits:AccountRecheckSeconds"] = "600" });
        var token = await app.RegisterAsync("alice");
        await using var alice = await app.ConnectAsync("alice", token);
        var database = _dir["db/safestream.db"];

        File.Move(database, database + ".away");
        SqliteConnection.ClearAllPools();
        await alice.SendChatAsync("lost?");
        var frame = await alice.ReceiveAsync();
        var (register, registered) = await app.PostAsync("/auth/register", null, new { username = "carol", password = SafeStreamApp.Password });
        var (me, meBody) = await app.GetAsync("/auth/me", token);
        var (login, loginBody) = await LoginAsync(app);

        Assert.Equal((503, 503, 503), (register, me, login));
        Assert.All(new[] { registered, meBody, loginBody }, b => Assert.Equal(ApiErrors.StorageUnavailable, b.GetProperty("detail").GetString()));
        Assert.Equal("Storage unavailable", frame.GetProperty("error").GetString());
        Assert.DoesNotContain(_dir.Path, frame.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.DoesNotContain("safestream.db", frame.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    private static async Task<(int Status, System.Text.Json.JsonElement Body)> LoginAsync(SafeStreamApp app)
    {
        using var response = await app.Http.PostAsync(
            "/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "bob", ["password"] = "whatever" }), Ct);
        return ((int)response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }
}
