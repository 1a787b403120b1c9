using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace SafeStream.Bench.Load;

/// <summary>The bare broadcaster, run from this benchmark's own assembly in a child process.</summary>
internal sealed class BareTarget(ChildProcess process) : ILoadTarget
{
    public string Name => "bare broadcaster";

    public ChildProcess Process => process;

    public static async Task<BareTarget> StartAsync(CancellationToken cancellationToken)
    {
        var port = ChildProcess.FreePort();
        var dll = typeof(BareTarget).Assembly.Location;
        var process = await ChildProcess.StartAsync(
            "bare broadcaster", dll, ["broadcaster", "--port", $"{port}"], AppContext.BaseDirectory, new Dictionary<string, string>(), port, cancellationToken);
        return new BareTarget(process);
    }

    public Task<Uri> SocketUriAsync(int client, bool renew, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri($"ws://127.0.0.1:{process.BaseUri.Port}/ws/ldgen{client}"));
}

/// <summary>
/// The real server, from its built dll, in a folder of its own (the repository's appsettings.json, an empty database
/// and legacy folder), with the per-user rate limit lifted. Clients are accounts registered over HTTP
/// (POST /auth/register, else /auth/login) and connect with <c>?token=</c>. Instances of one cluster share a JWT
/// secret (<c>jwtSecret</c>), so that an account registered on one is known, and its token valid, on every one.
/// </summary>
internal sealed class SafeStreamTarget(string name, ChildProcess process) : ILoadTarget, IDisposable
{
    private const string Password = "load-generator-password";
    private readonly ConcurrentDictionary<int, string> _tokens = new();
    private readonly HttpClient _http = new() { BaseAddress = process.BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    public string Name => name;

    public ChildProcess Process => process;

    public static async Task<SafeStreamTarget> StartAsync(
        string serverDll, string mode, string name, string folder, IEnumerable<string> extraArgs, string? jwtSecret, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "legacy"));
        File.Copy(RepositoryFile.Find("appsettings.json"), Path.Combine(folder, "appsettings.json"), overwrite: true);
        var port = ChildProcess.FreePort();
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--Storage:Mode={mode}",
            $"--Jwt:SecretKey={jwtSecret ?? NewJwtSecret()}",

            // The benchmark sends hundreds of messages per user per second: lift the per-user limit.
            "--Limits:MessagesPerSecond=0",

            // Registering hundreds of load accounts at the production cost would take minutes of CPU before any chat.
            "--Passwords:BcryptCost=4",

            // Every load account registers (and may log in) from this one loopback address.
            "--RateLimits:RegistrationsPerHour=0",
            "--RateLimits:LoginsPerMinute=0",
            .. extraArgs,
        ];
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var process = await ChildProcess.StartAsync(name, serverDll, args, folder, environment, port, cancellationToken);
        return new SafeStreamTarget(name, process);
    }

    public static string NewJwtSecret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async Task<Uri> SocketUriAsync(int client, bool renew, CancellationToken cancellationToken)
    {
        var username = $"ldgen{client}";
        if (renew || !_tokens.TryGetValue(client, out var token))
        {
            token = await TokenAsync(username, cancellationToken);
            _tokens[client] = token;
        }

        return new Uri($"ws://127.0.0.1:{process.BaseUri.Port}/ws/{username}?token={Uri.EscapeDataString(token)}");
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> TokenAsync(string username, CancellationToken cancellationToken)
    {
        // 503 means storage is not ready yet (a fresh database still migrating, a breaker not yet closed): the
        // server says to try again shortly, so do, for up to half a minute.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RegisterOrLoginAsync(username, cancellationToken);
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 60)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private async Task<string> RegisterOrLoginAsync(string username, CancellationToken cancellationToken)
    {
        using var register = await _http.PostAsJsonAsync(
            new Uri("auth/register", UriKind.Relative), new Credentials(username, Password), LoadJsonContext.Default.Credentials, cancellationToken);
        if (register.StatusCode == HttpStatusCode.BadRequest)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = Password });
            using var login = await _http.PostAsync(new Uri("auth/login", UriKind.Relative), form, cancellationToken);
            return await ReadTokenAsync(login, cancellationToken);
        }

        return await ReadTokenAsync(register, cancellationToken);
    }

    private static async Task<string> ReadTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        var token = await response.Content.ReadFromJsonAsync(LoadJsonContext.Default.TokenResponse, cancellationToken);
        return token?.AccessToken ?? throw new InvalidOperationException("no access_token in the auth response");
    }
}
