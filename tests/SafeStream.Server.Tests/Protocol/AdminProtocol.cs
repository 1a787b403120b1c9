using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task ModeratorEndpointsAnswer403ToNonAdminsAnd401WithoutAToken()
    {
        var alice = await App.RegisterAsync("alice");
        (HttpMethod Method, string Path, object Body)[] endpoints =
        [
            (HttpMethod.Post, "/api/admin/kick", new { username = "alice" }),
            (HttpMethod.Post, "/api/admin/mute", new { username = "alice" }),
            (HttpMethod.Post, "/api/admin/unmute", new { username = "alice" }),
            (HttpMethod.Post, "/api/admin/reset_metrics", new { }),
            (HttpMethod.Patch, "/api/mod/threshold", new { threshold = 0.1 }),
        ];

        foreach (var (method, path, body) in endpoints)
        {
            var (forbidden, forbiddenBody) = await App.SendAsync(method, path, alice, body);
            var (anonymous, anonymousBody) = await App.SendAsync(method, path, null, body);

            Assert.Equal((403, "Admin privileges required"), (forbidden, Detail(forbiddenBody)));
            Assert.Equal((401, "Not authenticated"), (anonymous, Detail(anonymousBody)));
        }

        Assert.Empty(await App.Storage.RecentAdminActionsAsync(10, Ct));
        Assert.Equal(0.6, (await App.GetAsync("/api/mod/threshold")).Body.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task AStoredAdminFlagGrantsTheRoleAsTheConfiguredListDoes()
    {
        var carol = await App.RegisterAsync("carol");
        await App.RegisterAsync("alice");
        var (before, _) = await App.PostAsync("/api/admin/mute", carol, new { username = "alice" });

        await App.Storage.UpdateUserAsync("carol", new Storage.Model.UserPatch { IsAdmin = true }, Ct);
        var (after, _) = await App.PostAsync("/api/admin/mute", carol, new { username = "alice" });

        Assert.Equal(403, before);
        Assert.Equal(200, after); // the same token: the role is read from storage on every request
    }

    [Fact]
    public async Task AKickClosesEverySocketOfTheTargetRevokesTheirTokensAndKeepsTheirHistory()
    {
        var root = await App.RegisterAdminAsync();
        var bob = await App.RegisterAsync("bob");
        await using var phone = await App.ConnectAsync("bob", bob);
        await using var laptop = await App.ConnectAsync("bob", bob);
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await phone.SendChatAsync("before the kick");
        await alice.ReceiveAsync();

        var (status, body) = await App.PostAsync("/api/admin/kick", root, new { username = "bob" });
        var closes = new[] { await phone.ReceiveCloseAsync(), await laptop.ReceiveCloseAsync() };
        var (oldTokenMe, oldTokenBody) = await App.GetAsync("/auth/me", bob);
        var oldTokenSocket = await ChatClient.RefusedStatusAsync(App.BaseAddress, "bob", bob);
        var fresh = await LoginTokenAsync("bob");
        await using var back = await App.ConnectAsync("bob", fresh);
        await alice.SendChatAsync("welcome back");

        Assert.Equal(200, status);
        Assert.Equal("{\"status\":\"ok\",\"message\":\"Kicked user: bob\"}", body.GetRawText());
        Assert.All(closes, c => Assert.Equal((WebSocketCloseStatus.NormalClosure, "Kicked by admin"), (c.Status, c.Reason)));
        Assert.Equal((401, "Could not validate credentials"), (oldTokenMe, Detail(oldTokenBody)));
        Assert.Equal(403, oldTokenSocket);
        Assert.Equal("welcome back", (await back.ReceiveAsync()).GetProperty("message").GetString());
        Assert.Contains(await App.Storage.RecentMessagesAsync(new Storage.Model.MessageQuery(), Ct), m => m.User == "bob");
        var action = Assert.Single(await App.Storage.RecentAdminActionsAsync(10, Ct));
        Assert.Equal((SafeStreamApp.Admin, "kick", "bob"), (action.Admin, action.Action, action.Target));
    }

    [Fact]
    public async Task AKickOrMuteWithoutAUsernameIs400UsernameRequired()
    {
        var root = await App.RegisterAdminAsync();

        var (kick, kickBody) = await App.PostAsync("/api/admin/kick", root, new { });
        var (mute, muteBody) = await App.PostAsync("/api/admin/mute", root, new { username = "" });

        Assert.Equal((400, "Username required"), (kick, Detail(kickBody)));
        Assert.Equal((400, "Username required"), (mute, Detail(muteBody)));
    }

    [Fact]
    public async Task AMuteIsEnforcedWithTheMutedFrameUntilAnUnmute()
    {
        var root = await App.RegisterAdminAsync();
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));

        var (status, muted) = await App.PostAsync("/api/admin/mute", root, new { username = "bob" });
        await bob.SendChatAsync("can anyone hear me?");
        var frame = await bob.ReceiveAsync();
        var (unmuteStatus, unmuted) = await App.PostAsync("/api/admin/unmute", root, new { username = "bob" });
        await bob.SendChatAsync("back");
        var alicesNext = await alice.ReceiveAsync();

        Assert.Equal(200, status);
        Assert.Equal(["status", "message", "muted_until"], Names(muted));
        Assert.Equal("Muted user: bob for 5 minutes", muted.GetProperty("message").GetString());
        var until = muted.GetProperty("muted_until").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        Assert.Equal(["type", "message", "muted_until"], Names(frame));
        Assert.Equal("muted", frame.GetProperty("type").GetString());
        Assert.Equal(muted.GetProperty("muted_until").GetString(), frame.GetProperty("muted_until").GetString());
        Assert.Equal((200, "Unmuted user: bob"), (unmuteStatus, unmuted.GetProperty("message").GetString()));
        Assert.Equal("back", alicesNext.GetProperty("message").GetString()); // the muted message never went out
        var actions = await App.Storage.RecentAdminActionsAsync(10, Ct);
        Assert.Equal(["unmute", "mute"], actions.Select(a => a.Action));
        Assert.All(actions, a => Assert.Equal((SafeStreamApp.Admin, "bob"), (a.Admin, a.Target)));
    }

    [Fact]
    public async Task MuteTakesMinutesAndRefusesNonsense()
    {
        var root = await App.RegisterAdminAsync();
        await App.RegisterAsync("bob");

        var (status, body) = await App.PostAsync("/api/admin/mute", root, new { username = "bob", minutes = 90 });
        var (negative, _) = await App.PostAsync("/api/admin/mute", root, new { username = "bob", minutes = -1 });
        var (text, _) = await App.PostAsync("/api/admin/mute", root, new { username = "bob", minutes = "ten" });

        Assert.Equal(200, status);
        Assert.Equal("Muted user: bob for 90 minutes", body.GetProperty("message").GetString());
        Assert.InRange(body.GetProperty("muted_until").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(89), TimeSpan.FromMinutes(91));
        Assert.Equal((400, 400), (negative, text));
    }

    [Fact]
    public async Task TheThresholdDefaultsTo06AndAnAdminPatchIsStoredAndApplied()
    {
        var root = await App.RegisterAdminAsync();
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));

        var initial = await App.Http.GetStringAsync("/api/mod/threshold", Ct);
        var (patched, body) = await App.SendAsync(HttpMethod.Patch, "/api/mod/threshold", root, new { threshold = 0.99 });
        await alice.SendChatAsync($"{MarkerScorer.Marker} scores 0.95");
        var frame = await alice.ReceiveAsync();
        var invalid = new List<int>();
        foreach (var bad in new object[] { new { threshold = 1.5 }, new { threshold = -0.1 }, new { threshold = "0.5" }, new { } })
        {
            invalid.Add((await App.SendAsync(HttpMethod.Patch, "/api/mod/threshold", root, bad)).Status);
        }

        var afterRestart = await (await RestartAsync()).GetAsync("/api/mod/threshold");

        Assert.Equal("{\"threshold\":0.6}", initial);
        Assert.Equal(200, patched);
        Assert.Equal(0.99, body.GetProperty("threshold").GetDouble());
        Assert.False(frame.GetProperty("toxic").GetBoolean());
        Assert.False(frame.GetProperty("blocked").GetBoolean());
        Assert.Equal([400, 400, 400, 400], invalid);
        Assert.Equal(0.99, afterRestart.Body.GetProperty("threshold").GetDouble());
        var action = Assert.Single(await App.Storage.RecentAdminActionsAsync(10, Ct));
        Assert.Equal(("threshold", "0.6 -> 0.99"), (action.Action, action.Details));
    }

    private async Task<string> LoginTokenAsync(string username)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = SafeStreamApp.Password });
        using var response = await App.Http.PostAsync("/auth/login", form, Ct);
        response.EnsureSuccessStatusCode();
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content, Ct);
        return body.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task PublicThresholdReadsShareOneStorageReadASecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Start(time: time);
        var first = await App.GetAsync("/api/mod/threshold");
        await App.Storage.SetSettingAsync(SettingKeys.ToxicityThreshold, "0.25", Ct); // as another instance would

        var shared = await App.GetAsync("/api/mod/threshold");
        time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await App.GetAsync("/api/mod/threshold");

        Assert.Equal([0.6, 0.6, 0.25], new[] { first, shared, fresh }.Select(r => r.Body.GetProperty("threshold").GetDouble()));
    }
}
