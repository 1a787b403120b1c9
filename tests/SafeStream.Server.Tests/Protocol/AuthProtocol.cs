using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task RegisterAnswersTheLegacyTokenBodyAndTheTokenOpensAuthMe()
    {
        var (status, body) = await App.PostAsync("/auth/register", null, new { username = "alice", password = "secret123", email = "alice@example.com" });
        var token = body.GetProperty("access_token").GetString();
        var (meStatus, me) = await App.GetAsync("/auth/me", token);

        Assert.Equal(200, status);
        Assert.Equal(["access_token", "token_type", "username"], Names(body).Order());
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("alice", body.GetProperty("username").GetString());
        Assert.Equal(200, meStatus);
        Assert.Equal("{\"username\":\"alice\",\"email\":\"alice@example.com\",\"disabled\":false}", me.GetRawText());
    }

    [Fact]
    public async Task ATakenUsernameIsRefusedAndTheFirstPasswordKeepsWorking()
    {
        await App.RegisterAsync("alice", "first-password");

        var (status, body) = await App.PostAsync("/auth/register", null, new { username = "alice", password = "second-password" });
        var first = await LoginAsync("alice", "first-password");
        var second = await LoginAsync("alice", "second-password");

        Assert.Equal(400, status);
        Assert.Equal("Username already registered", Detail(body));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task MalformedRegistrationsAre422WithADetail()
    {
        string[] bodies =
        [
            "{not json",
            "[\"alice\",\"pw\"]",
            "{\"username\":\"alice\"}",
            "{\"password\":\"pw-123456\"}",
            "{\"username\":42,\"password\":\"pw-123456\"}",
            "{\"username\":\"bad name\",\"password\":\"pw-123456\"}",
            "{\"username\":\"<script>\",\"password\":\"pw-123456\"}",
            $"{{\"username\":\"{new string('a', 51)}\",\"password\":\"pw-123456\"}}",
            "{\"username\":\"alice\",\"password\":\"\"}",
            $"{{\"username\":\"alice\",\"password\":\"{new string('p', 73)}\"}}",
            "{\"username\":\"alice\",\"password\":\"pw-123456\",\"email\":7}",
            "{\"username\":\"alice\",\"password\":\"pw-123456\",\"email\":\"a\\u0000@example.com\"}",
        ];

        foreach (var body in bodies)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await App.Http.PostAsync("/auth/register", content, Ct);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(JsonValueKind.String, json.GetProperty("detail").ValueKind);
        }

        Assert.Null(await App.Storage.FindUserAsync("alice", Ct));
    }

    [Fact]
    public async Task LoginAcceptsTheUrlEncodedAndTheMultipartPasswordForm()
    {
        await App.RegisterAsync("alice", "secret123");
        using var urlEncoded = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = "secret123",
            ["scope"] = "",
            ["client_id"] = "",
            ["client_secret"] = "",
        });
        using var multipart = new MultipartFormDataContent { { new StringContent("alice"), "username" }, { new StringContent("secret123"), "password" } };

        using var first = await App.Http.PostAsync("/auth/login", urlEncoded, Ct);
        using var second = await App.Http.PostAsync("/auth/login", multipart, Ct);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var (meStatus, _) = await App.GetAsync("/auth/me", body.GetProperty("access_token").GetString());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(["access_token", "token_type", "username"], Names(body).Order());
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(200, meStatus);
    }

    [Fact]
    public async Task AFailedLoginAnswers401WithTheLegacyDetailAndBadFormsAre422()
    {
        await App.RegisterAsync("alice", "secret123");

        using var wrong = await LoginAsync("alice", "not-it");
        using var unknown = await LoginAsync("nobody", "secret123");
        using var grant = await LoginAsync("alice", "secret123", grantType: "client_credentials");
        using var missing = await App.Http.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "alice" }), Ct);

        foreach (var response in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("Incorrect username or password", Detail(await response.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        }

        Assert.Equal(HttpStatusCode.UnprocessableEntity, grant.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }

    [Fact]
    public async Task LegacyUsersLogInWithTheirBcryptHashesWhereTheModeReadsUsersJson()
    {
        Dir.CopyLegacySample();

        using var alice = await LoginAsync("alice", "secret123");
        using var bob = await LoginAsync("bob", "hunter22");
        using var carol = await LoginAsync("carol", "password1");

        if (ReadsLegacyFiles)
        {
            Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
            Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, carol.StatusCode); // disabled
            Assert.Equal("Inactive user", Detail(await carol.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, alice.StatusCode); // DatabaseOnly: users.json is not consulted
        }
    }

    [Fact]
    public async Task BearerFailuresAnswer401WithTheLegacyTexts()
    {
        await App.RegisterAsync("alice");
        var expired = Tokens.Mint(SafeStreamApp.Secret, "alice", DateTimeOffset.UtcNow.AddMinutes(-1));
        var forged = Tokens.Mint("some-other-secret-that-is-also-long-enough", "alice", DateTimeOffset.UtcNow.AddMinutes(5));
        var unknownUser = Tokens.Mint(SafeStreamApp.Secret, "ghost", DateTimeOffset.UtcNow.AddMinutes(5));
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/auth/me");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "YWxpY2U6c2VjcmV0");

        var (noHeader, noHeaderBody) = await App.GetAsync("/auth/me");
        using var basicResponse = await App.Http.SendAsync(basic, Ct);
        var failures = new List<(int, JsonElement)>();
        foreach (var token in new[] { "not-a-jwt", expired, forged, unknownUser })
        {
            failures.Add(await App.GetAsync("/auth/me", token));
        }

        Assert.Equal(401, noHeader);
        Assert.Equal("Not authenticated", Detail(noHeaderBody));
        Assert.Equal(HttpStatusCode.Unauthorized, basicResponse.StatusCode);
        Assert.All(failures, f => Assert.Equal((401, "Could not validate credentials"), (f.Item1, Detail(f.Item2))));
        using var check = SafeStreamApp.Request(HttpMethod.Get, "/auth/me", expired);
        using var response = await App.Http.SendAsync(check, Ct);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ATokenMintedByHandWithOnlySubAndExpIsAcceptedLikeALegacyOne()
    {
        await App.RegisterAsync("alice");
        var legacy = Tokens.Mint(SafeStreamApp.Secret, "alice", DateTimeOffset.UtcNow.AddMinutes(30));

        var (status, me) = await App.GetAsync("/auth/me", legacy);
        await using var socket = await App.ConnectAsync("alice", legacy);
        await socket.SendChatAsync("hello from a legacy token");
        var frame = await socket.ReceiveAsync();

        Assert.Equal(200, status);
        Assert.Equal("alice", me.GetProperty("username").GetString());
        Assert.Equal("hello from a legacy token", frame.GetProperty("message").GetString());
    }

    [Fact]
    public async Task OurTokensAreHs256WithSubIatExpAndTheAccountStampSoTheLegacyServiceReadsThem()
    {
        var token = await App.RegisterAsync("alice");

        var header = Tokens.Header(token);
        var payload = Tokens.Payload(token);

        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal(["acct", "exp", "iat", "sub"], Names(payload).Order()); // legacy readers ignore acct
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        var lifetime = payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
        Assert.Equal(30 * 60, lifetime);
    }

    private Task<HttpResponseMessage> LoginAsync(string username, string password, string? grantType = null)
    {
        var fields = new Dictionary<string, string> { ["username"] = username, ["password"] = password };
        if (grantType is not null)
        {
            fields["grant_type"] = grantType;
        }

        return App.Http.PostAsync("/auth/login", new FormUrlEncodedContent(fields), Ct);
    }
}
