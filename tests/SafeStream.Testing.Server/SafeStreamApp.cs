using System.Net.Http.Headers;
using System.Net.Http.Json;
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

namespace SafeStream.Testing;

/// <summary>
/// The real server on Kestrel (loopback, a free port: a browser needs a real socket) over a test's own folder, in one
/// storage mode: real HTTP, real WebSockets, SQLite and the legacy files in the folder. <c>root</c> is an admin by the
/// stored flag once <see cref="RegisterAdminAsync"/> made it; bcrypt is cheap; the rate limits are lifted unless a test
/// sets one; messages containing <see cref="MarkerScorer.Marker"/> are toxic. <see cref="Live"/> changes configuration
/// while it runs.
/// </summary>
public sealed class SafeStreamApp : IAsyncDisposable
{
    public const string Admin = "root";
    public const string Password = "pw-123456";
    public const string Secret = "a-test-secret-that-is-long-enough-for-hs256";

    private readonly Factory _factory;

    private SafeStreamApp(Factory factory)
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

    /// <summary>The error-level lines the server logged since it started.</summary>
    public ErrorLog Errors => _factory.Errors;

    public IServiceProvider Services => _factory.Services;

    public IStorage Storage => Services.GetRequiredService<IStorage>();

    public static Dictionary<string, string?> Settings(TempFolder dir, StorageMode mode) => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["Storage:Mode"] = mode.ToString(),
        ["Storage:ConnectionString"] = $"Data Source={dir["db/safestream.db"]}",
        ["Storage:LegacyPath"] = dir["legacy"],
        ["Storage:Resilience:TimeoutMs"] = "10000", // a cold start (JIT, first migration) may take seconds
        ["Storage:Resilience:BusyTimeoutMs"] = "200",
        ["Storage:Resilience:BreakSeconds"] = "1",
        ["Storage:Resilience:MinimumThroughput"] = "2",
        ["Storage:ReplayIntervalMs"] = "100",
        ["Jwt:SecretKey"] = Secret,
        ["Passwords:BcryptCost"] = "4",
        ["Limits:MessagesPerSecond"] = "0",
        ["Limits:GiftsPerSecond"] = "0",
        ["Storage:StartWithoutImport"] = "true", // tests put legacy files beside a database that does not exist yet
        ["RateLimits:LoginsPerMinute"] = "0", // one test address stands for many clients
        ["RateLimits:RegistrationsPerHour"] = "0",
        ["Backup:IntervalHours"] = "0", // a scheduled backup at every test server's start would cost each test a copy; the backup tests turn it on
    };

    /// <summary>Starts the server on <see cref="Settings"/>.</summary>
    /// <param name="dir">The test's folder: the database and the legacy files go there.</param>
    /// <param name="mode">The storage mode.</param>
    /// <param name="overrides">Keys over <see cref="Settings"/>; a null value removes the key, so the server's own default applies.</param>
    /// <param name="time">The server's clock, when a test moves it.</param>
    /// <param name="environment">The host environment.</param>
    /// <param name="scorer">The toxicity scores, for a suite that asserts numbers of its own; <see cref="MarkerScorer"/>'s defaults otherwise.</param>
    /// <param name="services">Changes to the server's services after its own, for a seam a test must hold (a storage call it pauses).</param>
    public static SafeStreamApp Start(
        TempFolder dir,
        StorageMode mode = StorageMode.DatabaseFirst,
        IReadOnlyDictionary<string, string?>? overrides = null,
        TimeProvider? time = null,
        string environment = "Testing",
        MarkerScorer? scorer = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var settings = Settings(dir, mode);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return new SafeStreamApp(new Factory(settings, time, environment, scorer ?? new MarkerScorer(), services));
    }

    /// <summary>Registers <paramref name="username"/> and answers its token.</summary>
    public async Task<string> RegisterAsync(string username, string password = Password, string? email = null)
    {
        var response = await Http.PostAsJsonAsync("/auth/register", new { username, password, email }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers <see cref="Admin"/> and makes it an admin by the stored flag, as <c>grant-admin</c> does; answers its token.</summary>
    public async Task<string> RegisterAdminAsync(string username = Admin)
    {
        var token = await RegisterAsync(username);
        await Storage.UpdateUserAsync(username, new Storage.Model.UserPatch { IsAdmin = true }, Ct);
        return token;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        using var request = Request(method, path, token, json);
        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token);

    public Task<(int Status, JsonElement Body)> PostAsync(string path, string? token, object? json = null) => SendAsync(HttpMethod.Post, path, token, json);

    public Task<ChatClient> ConnectAsync(string username, string token) => ChatClient.ConnectAsync(BaseAddress, username, token);

    /// <summary>Says each message on a WebSocket of its own and waits until each is stored (its echo comes back).</summary>
    public async Task SayAsync(string username, string token, params string[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await using var chat = await ConnectAsync(username, token);
        foreach (var message in messages)
        {
            await chat.SendChatAsync(message);
            while (true)
            {
                var frame = await chat.ReceiveAsync();
                if (frame.TryGetProperty("user", out var user) && user.GetString() == username && frame.GetProperty("message").GetString() == message)
                {
                    break;
                }
            }
        }

        await chat.CloseAsync();
    }

    public async Task GiftAsync(string username, string token, int giftId, int amount)
    {
        using var request = Request(HttpMethod.Post, "/api/gift", token, new { from = username, gift_id = giftId, amount });
        using var response = await Http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(
        Dictionary<string, string?> settings, TimeProvider? time, string environment, MarkerScorer scorer, Action<IServiceCollection>? changes)
        : WebApplicationFactory<Program>
    {
        public LiveSettings Live { get; } = new();

        public ErrorLog Errors { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings).Add(Live));
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IToxicityScorer>(scorer);
                services.AddSingleton<Serilog.Core.ILogEventSink>(Errors); // Serilog reads its sinks from the services too
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                changes?.Invoke(services);
            });
        }
    }
}
