using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using SafeStream.Server.Cli;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>The admin command line, run against the folder of a real server, while it runs.</summary>
public sealed class AdminCliTests : IAsyncLifetime
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

    [Theory]
    [InlineData("grant-admin", "--help")]
    [InlineData("list-users", "-h")]
    [InlineData("--help")]
    public async Task HelpIsPrintedWithoutTouchingStorage(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["db"]), "no database was opened");
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("grant-admin", "a", "b")]
    [InlineData("list-users", "--limit", "0")]
    [InlineData("list-users", "--offset", "-1")]
    public async Task ABadCommandLineIsAUsageErrorThatSaysWhy(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("safestream: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableStopsTheTokensAndSocketsOfARunningServerAndEnableLetsTheUserSignInAgain()
    {
        var app = Start();
        var alice = await app.RegisterAsync("alice");
        await using var socket = await app.ConnectAsync("alice", alice);

        var (disabled, disableOutput, _) = await RunAsync("disable", "alice", "--json");
        var (me, _) = await app.GetAsync("/auth/me", alice);
        var closed = await socket.ReceiveCloseAsync();
        var (enabled, _, _) = await RunAsync("enable", "alice");
        var (oldToken, _) = await app.GetAsync("/auth/me", alice);
        using var login = await LoginAsync(app, "alice", SafeStreamApp.Password);
        var (unknown, _, unknownError) = await RunAsync("disable", "nobody", "--json");

        Assert.Equal(0, disabled);
        var answer = JsonDocument.Parse(disableOutput).RootElement;
        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.True(answer.GetProperty("account").GetProperty("disabled").GetBoolean());
        Assert.Equal(400, me);
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "Account disabled"), closed);
        Assert.Equal(0, enabled);
        Assert.Equal(401, oldToken); // tokens from before the disable stay revoked
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(1, unknown);
        Assert.False(JsonDocument.Parse(unknownError).RootElement.GetProperty("ok").GetBoolean());
        var actions = await app.Storage.RecentAdminActionsAsync(10, Ct);
        Assert.Contains(actions, a => a.Action == "disable" && a.Target == "alice" && a.Admin.StartsWith("cli:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListUsersShowsLegacyAndDatabaseAccountsAsTheModeSeesThemInPages()
    {
        _dir.CopyLegacySample(); // José, alice, bob, carol (disabled) in users.json
        var app = Start();
        await app.RegisterAdminAsync();
        await app.RegisterAsync("dave");

        var (code, output, _) = await RunAsync("list-users", "--json");
        var (_, page, _) = await RunAsync("list-users", "--offset", "1", "--limit", "2", "--json");
        var (_, text, _) = await RunAsync("list-users");

        Assert.Equal(0, code);
        var all = JsonDocument.Parse(output).RootElement;
        Assert.Equal(6, all.GetProperty("total").GetInt32());
        Assert.Equal(["José", "alice", "bob", "carol", "dave", "root"], all.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        var users = all.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("username").GetString()!);
        Assert.True(users["carol"].GetProperty("disabled").GetBoolean());
        Assert.True(users["root"].GetProperty("admin").GetBoolean());
        Assert.False(users["alice"].TryGetProperty("password_hash", out _));
        Assert.Equal(["alice", "bob"], JsonDocument.Parse(page).RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.StartsWith("6 accounts", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPasswordSetsAGeneratedPasswordAndEndsEveryEarlierToken()
    {
        var app = Start();
        var alice = await app.RegisterAsync("alice");

        var (code, output, _) = await RunAsync("reset-password", "alice");
        var password = output.Trim().Split(": ")[1];
        using var oldPassword = await LoginAsync(app, "alice", SafeStreamApp.Password);
        using var newPassword = await LoginAsync(app, "alice", password);
        var (oldToken, _) = await app.GetAsync("/auth/me", alice);

        Assert.Equal(0, code);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        Assert.Equal(401, oldToken);
    }

    [Fact]
    public async Task ControlCharactersInStoredTextAreEscapedInEveryCommandsOutputAndRefusedAtRegistration()
    {
        var app = Start();
        var forged = "x@example.com\nroot                     active    admin  \u001b[2J\u0007";
        var now = DateTimeOffset.UtcNow;
        await app.Storage.CreateUserAsync(new Storage.Model.User { Username = "mallory", Email = forged, PasswordHash = "$2b$04$" + new string('a', 53), CreatedAt = now, UpdatedAt = now }, Ct); // a legacy row
        var (registered, body) = await app.PostAsync("/auth/register", null, new { username = "eve", password = SafeStreamApp.Password, email = "eve@example.com\r\nroot" });

        var (_, text, _) = await RunAsync("list-users");
        var (_, json, _) = await RunAsync("list-users", "--json");
        var (_, _, unknown) = await RunAsync("disable", "ghost\u001b]0;pwned\u0007");
        var (_, granted, _) = await RunAsync("grant-admin", "mallory");

        Assert.Equal(422, registered);
        Assert.Equal("email must not contain control characters or line breaks", body.GetProperty("detail").GetString());
        Assert.Equal(2, text.TrimEnd('\n').Split('\n').Length); // the count line and mallory's row, nothing forged
        Assert.Contains("x@example.com\\u000Aroot", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text + unknown + granted);
        Assert.DoesNotContain('\u0007', text + unknown + granted);
        Assert.Contains("ghost\\u001B]0;pwned\\u0007", unknown, StringComparison.Ordinal);
        Assert.Equal(forged, JsonDocument.Parse(json).RootElement.GetProperty("users")[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task ACommandReadsTheEnvironmentAsTheServerDoesAndActsOnTheDatabaseOfAppsettingsStagingJson()
    {
        var app = Start();
        await app.RegisterAsync("alice");
        File.WriteAllText(_dir["appsettings.Staging.json"], JsonSerializer.Serialize(new
        {
            Storage = new { ConnectionString = $"Data Source={_dir["db/safestream.db"]}", LegacyPath = _dir["legacy"] },
        }));
        var settings = SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst);
        settings.Remove("Storage:ConnectionString");
        settings.Remove("Storage:LegacyPath");
        settings.Remove("urls");
        settings["ASPNETCORE_ENVIRONMENT"] = "Staging";
        settings["DOTNET_ENVIRONMENT"] = null; // only the server's own variable is set, as in a systemd unit or a container

        var tool = await Support.ServerProcess.RunToolAsync(_dir, settings, "grant-admin", "alice");

        Assert.True(tool.ExitCode == 0, tool.Output + tool.Error);
        Assert.True((await app.Storage.FindUserAsync("alice", Ct))!.IsAdmin);
    }

    private SafeStreamApp Start() =>
        _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?> { ["Limits:AccountRecheckSeconds"] = "0.2" });

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(args, SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<HttpResponseMessage> LoginAsync(SafeStreamApp app, string username, string password) =>
        app.Http.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = password }), Ct);
}
