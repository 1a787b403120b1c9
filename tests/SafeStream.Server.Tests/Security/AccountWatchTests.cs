using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Security;

/// <summary>An authorization checked at connect must not outlive the account: feeds and sockets are re-checked while they run.</summary>
public sealed class AccountWatchTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
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
    public async Task AKickedAdminsFeedEndsAtOnce()
    {
        var app = Start();
        var root = await app.RegisterAdminAsync();
        var boss = await app.RegisterAdminAsync("boss");
        await using var feed = await FeedClient.OpenAsync(app, boss);

        var (kicked, _) = await app.PostAsync("/api/admin/kick", root, new { username = "boss" });

        Assert.Equal(200, kicked);
        await feed.EndedAsync();
    }

    [Fact]
    public async Task ADemotedAdminsFeedEndsAtTheNextCheckEvenWhenTheChangeCameFromAnotherProcess()
    {
        var app = Start();
        var root = await app.RegisterAdminAsync();
        await using var feed = await FeedClient.OpenAsync(app, root);

        await app.Storage.UpdateUserAsync(SafeStreamApp.Admin, new UserPatch { IsAdmin = false }, Ct); // what revoke-admin writes
        _time.Advance(TimeSpan.FromSeconds(2));

        await feed.EndedAsync();
        var (status, _) = await app.GetAsync("/api/dashboard/summary", root);
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task AFeedEndsWhenItsTokenExpires()
    {
        var app = Start(new() { ["Jwt:ExpireMinutes"] = "1" });
        var root = await app.RegisterAdminAsync();
        await using var feed = await FeedClient.OpenAsync(app, root);

        _time.Advance(TimeSpan.FromSeconds(62));

        await feed.EndedAsync();
    }

    [Fact]
    public async Task ADisabledUsersSocketsCloseAndItsTokenStopsWorking()
    {
        var app = Start();
        var alice = await app.RegisterAsync("alice");
        await using var socket = await app.ConnectAsync("alice", alice);
        await using var tab = await app.ConnectAsync("alice", alice);
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));

        await app.Storage.UpdateUserAsync("alice", new UserPatch { IsActive = false }, Ct); // what the disable command writes
        _time.Advance(TimeSpan.FromSeconds(2));
        var closed = await socket.ReceiveCloseAsync();
        var closedTab = await tab.ReceiveCloseAsync();
        var (me, body) = await app.GetAsync("/auth/me", alice);

        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "Account disabled"), closed);
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "Account disabled"), closedTab);
        Assert.Equal((400, "Inactive user"), (me, body.GetProperty("detail").GetString()));
        Assert.Equal(WebSocketState.Open, bob.Socket.State);
    }

    private SafeStreamApp Start(Dictionary<string, string?>? overrides = null) =>
        _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, overrides, _time);
}
