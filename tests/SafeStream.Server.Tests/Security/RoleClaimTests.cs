using SafeStream.Server.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Security;

/// <summary>Only the stored account makes an admin: a <c>role</c> claim inside a signed token counts for nothing.</summary>
public sealed class RoleClaimTests : IAsyncLifetime
{
    private static readonly string[] AdminAsList = ["admin"];
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
    public async Task ASignedTokenClaimingTheAdminRoleForAnOrdinaryAccountIsRefused403()
    {
        var app = _app = SafeStreamApp.Start(_dir);
        await app.RegisterAsync("mallory");
        var claimed = Mint("mallory", AdminAsList);
        var claimedAsText = Mint("mallory", "admin");

        var (reset, body) = await app.PostAsync("/api/admin/reset_metrics", claimed);
        var (dashboard, _) = await app.GetAsync("/api/dashboard/summary", claimedAsText);
        var (threshold, _) = await app.SendAsync(HttpMethod.Patch, "/api/mod/threshold", claimedAsText, new { threshold = 0.1 });
        var (me, _) = await app.GetAsync("/auth/me", claimedAsText);

        Assert.Equal((403, 403, 403, 200), (reset, dashboard, threshold, me));
        Assert.Equal("Admin privileges required", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AfterRevokeAdminATokenClaimingTheRoleIsNoLongerAnAdmin()
    {
        var app = _app = SafeStreamApp.Start(_dir);
        var stored = await app.RegisterAdminAsync();
        var claimed = Mint(SafeStreamApp.Admin, "admin");
        var (before, _) = await app.PostAsync("/api/admin/reset_metrics", claimed);

        await app.Storage.UpdateUserAsync(SafeStreamApp.Admin, new UserPatch { IsAdmin = false }, Ct); // what revoke-admin writes
        var (afterClaimed, _) = await app.PostAsync("/api/admin/reset_metrics", claimed);
        var (afterStored, _) = await app.PostAsync("/api/admin/reset_metrics", stored);

        Assert.Equal((200, 403, 403), (before, afterClaimed, afterStored));
    }

    private static string Mint(string username, object role) =>
        Tokens.Mint(SafeStreamApp.Secret, username, DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow.AddSeconds(1), new Dictionary<string, object> { ["role"] = role });
}
