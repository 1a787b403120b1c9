using System.Net;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary><c>^…$</c> let <c>"alice\n"</c> through; the rule is anchored with <c>\z</c> everywhere a name is checked.</summary>
public sealed class UsernameRuleTests : IAsyncLifetime
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
    public async Task ANameWithATrailingNewlineCannotRegisterLogInChatOrSendGifts()
    {
        // users.json as a legacy server with the loose rule could have left it: "alice\n" with a real hash.
        Directory.CreateDirectory(_dir["legacy"]);
        const string aliceHash = "$2b$12$hMn/P/dGYR7KtHijQZOv2.DQksf8jA8mtvKdCxPJ1r4q9zz3GX6Rm"; // secret123, from the legacy sample
        await File.WriteAllTextAsync(_dir["legacy/users.json"], $"{{\"alice\\n\": {{\"username\": \"alice\\n\", \"email\": null, \"disabled\": false, \"hashed_password\": \"{aliceHash}\"}}}}", Ct);
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.JsonlOnly);
        var bob = await app.RegisterAsync("bob");

        var (register, registerBody) = await app.PostAsync("/auth/register", null, new { username = "carol\n", password = SafeStreamApp.Password });
        using var login = await app.Http.PostAsync(
            "/auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "alice\n", ["password"] = "secret123" }), Ct);
        var socket = await ChatClient.RefusedStatusAsync(app.BaseAddress, "bob\n", bob);
        var (gift, giftBody) = await app.PostAsync("/api/gift", bob, new { from = "bob\n", gift_id = 1, amount = 1 });

        Assert.Equal(422, register);
        Assert.StartsWith("username must be", registerBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(403, socket);
        Assert.Equal(400, gift);
        Assert.Equal("Invalid gift data: from is not a valid username", giftBody.GetProperty("detail").GetString());
        Assert.Null(await app.Storage.FindUserAsync("carol\n", Ct));
    }
}
