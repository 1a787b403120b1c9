using System.Net.Http.Headers;
using SafeStream.Server.Tests.Support;
using SafeStream.Server.Web;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Dashboard;

/// <summary>The dashboard's API and pages over real HTTP; the browser suite drives the pages themselves.</summary>
public sealed class ModeratorApiTests : IAsyncDisposable
{
    private readonly TempFolder _dir = new();
    private readonly SafeStreamApp _app;

    public ModeratorApiTests() => _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("/api/dashboard/summary")]
    [InlineData("/api/dashboard/messages")]
    [InlineData("/api/dashboard/activity")]
    [InlineData("/api/dashboard/series")]
    [InlineData("/api/dashboard/feed")]
    public async Task EveryDashboardReadIsForAdminsOnly(string path)
    {
        var viewer = await _app.RegisterAsync("bob");

        var (anonymous, _) = await _app.GetAsync(path);
        var (forbidden, body) = await _app.GetAsync(path, viewer);

        Assert.Equal(401, anonymous);
        Assert.Equal(403, forbidden);
        Assert.Equal("Admin privileges required", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MessagesAreFilteredByUserToxicityAndTimeWithBlockedOnesIncluded()
    {
        var root = await _app.RegisterAdminAsync();
        await SayAsync("alice", "hello", $"a {MarkerScorer.Marker}");
        await SayAsync("bob", "hi", $"{MarkerScorer.Marker} too");
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));

        var (_, all) = await _app.GetAsync("/api/dashboard/messages", root);
        var (_, bob) = await _app.GetAsync("/api/dashboard/messages?user=BO", root);
        var (_, toxic) = await _app.GetAsync("/api/dashboard/messages?toxic=true", root);
        var (_, none) = await _app.GetAsync($"/api/dashboard/messages?since={future}", root);
        var (_, two) = await _app.GetAsync("/api/dashboard/messages?limit=2", root);

        Assert.Equal([$"{MarkerScorer.Marker} too", "hi", $"a {MarkerScorer.Marker}", "hello"], Texts(all));
        Assert.Equal([$"{MarkerScorer.Marker} too", "hi"], Texts(bob));
        Assert.Equal([$"{MarkerScorer.Marker} too", $"a {MarkerScorer.Marker}"], Texts(toxic));
        Assert.Empty(Texts(none));
        Assert.Equal(2, two.GetProperty("messages").GetArrayLength());
        var blocked = all.GetProperty("messages")[0];
        Assert.True(blocked.GetProperty("blocked").GetBoolean());
        Assert.Equal(MarkerScorer.DefaultToxicScore, blocked.GetProperty("score").GetDouble());
    }

    [Theory]
    [InlineData("since=yesterday", "since must be an ISO 8601 time")]
    [InlineData("until=soon", "until must be an ISO 8601 time")]
    [InlineData("limit=201", "limit must be between 1 and 200")]
    public async Task ABadFilterIsRefusedWithTheReason(string query, string detail)
    {
        var root = await _app.RegisterAdminAsync();

        var (status, body) = await _app.GetAsync($"/api/dashboard/messages?{query}", root);

        Assert.Equal(400, status);
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheSummaryCountsSinceTheLastResetWithTopGiftersAndTheStorageStatus()
    {
        var root = await _app.RegisterAdminAsync();
        var alice = await SayAsync("alice", "one", $"two {MarkerScorer.Marker}");
        await _app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 4 });
        await _app.PostAsync("/api/gift", root, new { from = "bob", gift_id = 2, amount = 6 });

        var (_, before) = await _app.GetAsync("/api/dashboard/summary", root);
        await _app.PostAsync("/api/admin/reset_metrics", root);
        var (_, after) = await _app.GetAsync("/api/dashboard/summary", root);

        Assert.Equal(2, before.GetProperty("messages").GetInt64());
        Assert.Equal(50.0, before.GetProperty("toxic_pct").GetDouble());
        Assert.Equal(2, before.GetProperty("gifts").GetInt64());
        Assert.Equal(10, before.GetProperty("gift_amount").GetInt64());
        Assert.Equal(["bob", "alice"], before.GetProperty("top_gifters").EnumerateArray().Select(g => g.GetProperty("user").GetString()));
        Assert.Equal("DatabaseFirst", before.GetProperty("status").GetProperty("storage").GetProperty("active_mode").GetString());
        Assert.Equal(0.6, before.GetProperty("status").GetProperty("threshold").GetDouble());
        Assert.Equal(0, after.GetProperty("messages").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, after.GetProperty("metrics_reset_at").ValueKind);
    }

    [Fact]
    public async Task TheFeedSaysReadyThenStreamsWhatIsStoredAfterItBlockedMessagesIncluded()
    {
        var root = await _app.RegisterAdminAsync();
        await SayAsync("alice", "said before the dashboard opened");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/feed");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", root);
        using var response = await _app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("status", (await NextEventAsync(events)).Type);
        await UntilAsync(events, "ready");
        await SayAsync("alice", $"a {MarkerScorer.Marker} while watched");
        var chat = await UntilAsync(events, "chat");

        Assert.Contains($"\"message\":\"a {MarkerScorer.Marker} while watched\"", chat, StringComparison.Ordinal);
        Assert.Contains("\"blocked\":true", chat, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/chat")]
    [InlineData("/dashboard")]
    [InlineData("/assets/dashboard.js")]
    [InlineData("/assets/app.css")]
    public async Task PagesAndAssetsAreServedWithAStrictContentSecurityPolicy(string path)
    {
        using var response = await _app.Http.GetAsync(path, Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(WebPages.ContentSecurityPolicy, string.Join(';', response.Headers.GetValues("Content-Security-Policy")));
        Assert.DoesNotContain("unsafe", WebPages.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/login")]
    [InlineData("/app")]
    public async Task TheRootAndTheLegacyClientsPagesLeadToTheChat(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };

        using var response = await http.GetAsync(path, Ct);

        Assert.Equal(302, (int)response.StatusCode);
        Assert.Equal("/chat", response.Headers.Location?.ToString());
    }

    private async Task<string> SayAsync(string user, params string[] messages)
    {
        var token = await _app.Storage.FindUserAsync(user, Ct) is null ? await _app.RegisterAsync(user) : Tokens.Mint(SafeStreamApp.Secret, user, DateTimeOffset.UtcNow.AddMinutes(5), issuedAt: DateTimeOffset.UtcNow);
        await using var socket = await _app.ConnectAsync(user, token);
        foreach (var message in messages)
        {
            await socket.SendChatAsync(message);
            await socket.ReceiveAsync();
        }

        return token;
    }

    private static List<string?> Texts(System.Text.Json.JsonElement body) =>
        [.. body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("message").GetString())];

    private static async Task<(string Type, string Data)> NextEventAsync(StreamReader events)
    {
        string? type = null, data = null;
        while (await events.ReadLineAsync(Ct) is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return (type ?? "message", data);
            }

            type = line.StartsWith("event: ", StringComparison.Ordinal) ? line[7..] : type;
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : data;
        }

        throw new InvalidOperationException("The feed ended.");
    }

    private static async Task<string> UntilAsync(StreamReader events, string type)
    {
        while (true)
        {
            var next = await NextEventAsync(events).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            if (next.Type == type)
            {
                return next.Data;
            }
        }
    }
}
