using SafeStream.Server.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Security;

/// <summary>A token is bound to the account it was issued for, not just to the name.</summary>
public sealed class TokenBindingTests : IAsyncLifetime
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
    public async Task WhenTheNameGetsASecondOwnerTheFirstOwnersTokensOpenNothing()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.JsonlOnly);
        var first = await app.RegisterAsync("alice", "first-owner-pw");
        var legacyStyle = Tokens.Mint(SafeStreamApp.Secret, "alice", DateTimeOffset.UtcNow.AddMinutes(30), issuedAt: DateTimeOffset.UtcNow);
        await using var socket = await app.ConnectAsync("alice", first);

        // users.json restored from elsewhere: "alice" is another account now, created later.
        var second = new User
        {
            Username = "alice",
            PasswordHash = BCrypt.Net.BCrypt.HashPassword("second-owner-pw", 4),
            CreatedAt = DateTimeOffset.UtcNow.AddSeconds(5),
            UpdatedAt = DateTimeOffset.UtcNow.AddSeconds(5),
        };
        UsersFile.Save(_dir["legacy/users.json"], [second]);
        var (bound, _) = await app.GetAsync("/auth/me", first);
        var (unbound, _) = await app.GetAsync("/auth/me", legacyStyle);
        var refused = await ChatClient.RefusedStatusAsync(app.BaseAddress, "alice", first);
        var closed = await socket.ReceiveCloseAsync();
        using var login = await app.Http.PostAsync(
            "/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "alice", ["password"] = "second-owner-pw" }), Ct);

        Assert.Equal(401, bound);
        Assert.Equal(401, unbound);
        Assert.Equal(403, refused);
        Assert.Equal("Could not validate credentials", closed.Reason);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
    }
}
