using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Security;

/// <summary>A name in <c>Admin:Usernames</c> gives no power to an account created after the operator listed it.</summary>
public sealed class AdminNamesTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly List<SafeStreamApp> _apps = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task WhoeverRegistersAListedNameFirstGetsNoAdminPowerUntilTheOperatorGrantsIt()
    {
        var app = Start(listed: "boss");
        var squatter = await app.RegisterAsync("boss");

        var (before, body) = await app.PostAsync("/api/admin/reset_metrics", squatter);
        await app.Storage.UpdateUserAsync("boss", new UserPatch { IsAdmin = true }, Ct); // what grant-admin writes
        var (granted, _) = await app.PostAsync("/api/admin/reset_metrics", squatter);

        Assert.Equal(403, before);
        Assert.Equal("Admin privileges required", body.GetProperty("detail").GetString());
        Assert.Equal(200, granted);
    }

    [Fact]
    public async Task AnAccountThatExistedWhenItWasListedIsAnAdminAndStaysOneAcrossRestarts()
    {
        var first = Start(listed: null);
        var alice = await first.RegisterAsync("alice");
        await StopAsync(first);

        var listed = Start(listed: "alice");
        var (now, _) = await listed.PostAsync("/api/admin/reset_metrics", alice);
        var squatter = await listed.RegisterAsync("later");
        await StopAsync(listed);
        var restarted = Start(listed: "alice");
        var (afterRestart, _) = await restarted.PostAsync("/api/admin/reset_metrics", alice);

        Assert.Equal(200, now);
        Assert.Equal(200, afterRestart);
        Assert.NotNull(await restarted.Storage.GetSettingAsync("admin_listed_at:alice", Ct));
        Assert.Equal(403, (await restarted.PostAsync("/api/admin/reset_metrics", squatter)).Status);
    }

    private SafeStreamApp Start(string? listed)
    {
        var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, listed is null ? null : new Dictionary<string, string?> { ["Admin:Usernames:0"] = listed });
        _apps.Add(app);
        return app;
    }

    private async Task StopAsync(SafeStreamApp app)
    {
        _apps.Remove(app);
        await app.DisposeAsync();
    }
}
