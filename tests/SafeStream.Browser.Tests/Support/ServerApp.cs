using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Moderation;
using SafeStream.Storage;

namespace SafeStream.Browser.Tests.Support;

/// <summary>
/// The real server on Kestrel (loopback, a free port: a browser needs a real socket) over a test's own folder: SQLite
/// and the legacy files there. <c>root</c> is an admin by the stored flag (<see cref="RegisterAdminAsync"/>); bcrypt is cheap; messages
/// containing <see cref="MarkerScorer.Marker"/> are toxic. <see cref="Live"/> changes configuration while it runs.
/// </summary>
public sealed class ServerApp : IAsyncDisposable
{
    public const string Admin = "root";
    public const string Password = "pw-123456";
    public const string Secret = "a-browser-test-secret-long-enough-for-hs256";

    private readonly Factory _factory;

    private ServerApp(Factory factory)
    {
        _factory = factory;
        _factory.UseKestrel();
        _factory.StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public LiveSettings Live => _factory.Live;

    public IServiceProvider Services => _factory.Services;

    public static ServerApp Start(TempFolder dir, StorageMode mode = StorageMode.DatabaseFirst)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:Mode"] = mode.ToString(),
            ["Storage:ConnectionString"] = $"Data Source={dir["db/safestream.db"]}",
            ["Storage:LegacyPath"] = dir["legacy"],
            ["Storage:Resilience:TimeoutMs"] = "10000", // a cold start (JIT, first migration) may take seconds
            ["Storage:ReplayIntervalMs"] = "100",
            ["Jwt:SecretKey"] = Secret,
            ["Passwords:BcryptCost"] = "4",
            ["Limits:MessagesPerSecond"] = "0",
            ["Limits:GiftsPerSecond"] = "0",
            ["Storage:StartWithoutImport"] = "true", // tests put legacy files beside a database that does not exist yet
            ["RateLimits:LoginsPerMinute"] = "0", // one test address stands for many clients
            ["RateLimits:RegistrationsPerHour"] = "0",
            ["Dashboard:FeedPollMs"] = "100",
        };
        return new ServerApp(new Factory(settings));
    }

    /// <summary>Registers <paramref name="username"/> through the API and answers its token.</summary>
    public async Task<string> RegisterAsync(string username, string password = Password)
    {
        var response = await Http.PostAsJsonAsync("/auth/register", new { username, password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers <see cref="Admin"/> and sets its stored admin flag, as <c>grant-admin</c> does; answers its token.</summary>
    public async Task<string> RegisterAdminAsync()
    {
        var token = await RegisterAsync(Admin);
        await Services.GetRequiredService<IStorage>().UpdateUserAsync(Admin, new Storage.Model.UserPatch { IsAdmin = true }, TestContext.Current.CancellationToken);
        return token;
    }

    /// <summary>Says each message on a WebSocket of its own and waits until each is stored (its echo comes back).</summary>
    public async Task SayAsync(string username, string token, params string[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ct = TestContext.Current.CancellationToken;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{BaseAddress.Authority}/ws/{username}?token={Uri.EscapeDataString(token)}"), ct);
        var buffer = new byte[16 * 1024];
        foreach (var message in messages)
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "chat", message }), WebSocketMessageType.Text, true, ct);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, ct);
                var frame = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)).RootElement;
                if (frame.TryGetProperty("user", out var user) && user.GetString() == username && frame.GetProperty("message").GetString() == message)
                {
                    break;
                }
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", ct);
    }

    public async Task GiftAsync(string username, string token, int giftId, int amount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/gift") { Content = JsonContent.Create(new { from = username, gift_id = giftId, amount }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        public LiveSettings Live { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings).Add(Live));
            builder.ConfigureServices(services => services.AddSingleton<IToxicityScorer, MarkerScorer>());
        }
    }
}
