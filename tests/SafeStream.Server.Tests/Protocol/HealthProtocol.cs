using System.Text.Json;
using System.Text.RegularExpressions;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task HealthzAnswersTheLegacyStatusWithTheStorageStatus()
    {
        var (status, body) = await App.GetAsync("/healthz");

        Assert.Equal(200, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var storage = body.GetProperty("storage");
        Assert.Equal(Mode.ToString(), storage.GetProperty("active_mode").GetString());
        Assert.Equal(Mode.ToString(), storage.GetProperty("requested_mode").GetString());
        Assert.Equal("Closed", storage.GetProperty("breaker").GetString());
        Assert.Equal(0, storage.GetProperty("journal_backlog").GetInt64());
        Assert.False(storage.GetProperty("reading_from_files").GetBoolean());
        Assert.Equal(JsonValueKind.Number, storage.GetProperty("dual_write_errors").ValueKind);
    }

    [Fact]
    public async Task MetricsStartEmptyWithTheLegacyFieldsAndAFloatToxicShare()
    {
        var response = await App.Http.GetStringAsync("/metrics", Ct);

        Assert.Equal("{\"viewer_count\":0,\"gift_count\":0,\"toxic_pct\":0.0}", response);
    }

    [Fact]
    public async Task MetricsCountViewersGiftsAndToxicMessagesSinceTheLastReset()
    {
        var alice = await App.RegisterAsync("alice");
        var bob = await App.RegisterAsync("bob");
        var root = await App.RegisterAdminAsync();
        await using var aliceSocket = await App.ConnectAsync("alice", alice);
        await using var aliceTab = await App.ConnectAsync("alice", alice);
        await using var bobSocket = await App.ConnectAsync("bob", bob);
        await aliceSocket.SendChatAsync($"you {MarkerScorer.Marker}");
        await aliceSocket.ReceiveAsync();
        for (var i = 0; i < 3; i++)
        {
            await bobSocket.SendChatAsync($"clean {i}");
            await bobSocket.ReceiveAsync();
        }

        await App.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 3 });

        var (_, before) = await App.GetAsync("/metrics");
        var (resetStatus, reset) = await App.PostAsync("/api/admin/reset_metrics", root);
        var (_, after) = await App.GetAsync("/metrics");

        Assert.Equal(2, before.GetProperty("viewer_count").GetInt32());
        Assert.Equal(1, before.GetProperty("gift_count").GetInt64());
        Assert.Equal(25.0, before.GetProperty("toxic_pct").GetDouble());
        Assert.Equal(200, resetStatus);
        Assert.Equal("metrics reset", reset.GetProperty("status").GetString());
        Assert.Equal(2, after.GetProperty("viewer_count").GetInt32());
        Assert.Equal(0, after.GetProperty("gift_count").GetInt64());
        Assert.Equal(0.0, after.GetProperty("toxic_pct").GetDouble());
    }

    [Fact]
    public async Task TheOpenApiDocumentIsTitledSafeStreamAndDeclaresTheBearerSchemeWhereATokenIsNeeded()
    {
        var (status, openApi) = await App.GetAsync("/openapi.json");

        Assert.Equal(200, status);
        Assert.Equal("SafeStream", openApi.GetProperty("info").GetProperty("title").GetString());
        var paths = openApi.GetProperty("paths");
        Assert.Contains("/auth/login", Names(paths));
        Assert.Contains("/api/gift", Names(paths));
        var scheme = openApi.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.Equal(["Bearer"], Names(paths.GetProperty("/api/admin/kick").GetProperty("post").GetProperty("security")[0]));
        Assert.False(paths.GetProperty("/auth/login").GetProperty("post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task TheDocsPageIsAPackagedViewerWithNoInlineScriptServedUnderThePagesHeaders()
    {
        using var page = await App.Http.GetAsync("/docs", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var script = await App.Http.GetStringAsync("/docs/index.js", Ct);
        using var chat = await App.Http.GetAsync("/chat", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/docs/index.html", page.RequestMessage?.RequestUri?.AbsolutePath);
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(Assert.Single(chat.Headers.GetValues("Content-Security-Policy")), Regex.Replace(policy, " 'sha256-[^']+'", "")); // plus the logo's one stylesheet
        Assert.Equal(["nosniff"], page.Headers.GetValues("X-Content-Type-Options"));
        Assert.DoesNotMatch("<script>|<script [^>]*>[^<]", html); // every script comes from a file of this origin
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/openapi.json", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAnswerTheLegacyDetail()
    {
        var (notFound, missing) = await App.GetAsync("/no/such/route");
        var (notAllowed, wrongMethod) = await App.SendAsync(HttpMethod.Delete, "/metrics", null);

        Assert.Equal(404, notFound);
        Assert.Equal("Not Found", Detail(missing));
        Assert.Equal(405, notAllowed);
        Assert.Equal("Method Not Allowed", Detail(wrongMethod));
    }
}
