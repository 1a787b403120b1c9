using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace SafeStream.Server.Tests.Support;

/// <summary>What a one-off run of the server's dll (an admin command) answered.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>
/// The server's own dll in a process of its own (<c>dotnet SafeStream.Server.dll</c>), over a test's folder: what
/// collides with a second process collides here for real. Settings go on the command line, the environment is
/// <c>Testing</c>; the process is stopped with SIGTERM, or killed with -9 when a test says so.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "SafeStream.Server.dll");
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    /// <summary>The settings of <see cref="SafeStreamApp"/>, with the console log on so a failure can say why.</summary>
    public static Dictionary<string, string?> Settings(TempFolder dir, string mode)
    {
        var settings = SafeStreamApp.Settings(dir, Enum.Parse<Storage.StorageMode>(mode));
        settings.Remove("urls");
        settings["Serilog:WriteTo:0:Name"] = "Console";
        settings["Serilog:MinimumLevel:Default"] = "Information";
        return settings;
    }

    /// <summary>Starts the server and returns once it answers <c>/healthz</c>.</summary>
    /// <param name="dir">The test's folder, the server's working directory.</param>
    /// <param name="settings">The server's settings, passed on its command line.</param>
    /// <param name="umask">A umask to start it with (<c>"022"</c>: through <c>sh -c 'umask 022; exec dotnet …'</c>), or the test's own.</param>
    /// <param name="openFiles">An open-file limit to start it under (<c>ulimit -n</c>), or the test's own.</param>
    public static async Task<ServerProcess> StartAsync(TempFolder dir, IReadOnlyDictionary<string, string?> settings, string? umask = null, int? openFiles = null)
    {
        var port = FreePort();
        var process = Start(dir, settings, [$"--urls=http://127.0.0.1:{port}"], umask, openFiles);
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>Starts the server expecting it to refuse: answers its exit code and everything it printed.</summary>
    public static async Task<ProcessResult> StartFailureAsync(TempFolder dir, IReadOnlyDictionary<string, string?> settings)
    {
        using var process = Start(dir, settings, [$"--urls=http://127.0.0.1:{FreePort()}"]);
        return await FinishAsync(process);
    }

    /// <summary>Runs an admin command (<c>grant-admin alice</c>…) with the same settings as environment variables (a null value unsets one).</summary>
    public static Task<ProcessResult> RunToolAsync(TempFolder dir, IReadOnlyDictionary<string, string?> settings, params string[] args) =>
        RunToolUnderUmaskAsync(dir, settings, null, args);

    /// <summary>Runs an admin command as <see cref="RunToolAsync"/> does, with <paramref name="umask"/> set first.</summary>
    public static async Task<ProcessResult> RunToolUnderUmaskAsync(TempFolder dir, IReadOnlyDictionary<string, string?> settings, string? umask, params string[] args)
    {
        var info = StartInfo(dir, args, umask);
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                info.Environment.Remove(key.Replace(":", "__", StringComparison.Ordinal)); // a variable the test wants unset
            }
            else
            {
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
        return await FinishAsync(process);
    }

    /// <summary>
    /// Runs another dll of the build (the migration tool, <c>safestream-migrate.dll</c>) in the test's folder, as an
    /// operator runs it from the deployment's folder: it reads the folder's <c>appsettings.json</c> and nothing else.
    /// </summary>
    public static async Task<ProcessResult> RunDllAsync(TempFolder dir, string dll, params string[] args)
    {
        using var process = Process.Start(StartInfo(dir, args, dll: Path.Combine(AppContext.BaseDirectory, dll))) ?? throw new InvalidOperationException($"could not start {dll}");
        return await FinishAsync(process);
    }

    public bool HasExited => _process.HasExited;

    public async Task<JsonElement> HealthAsync() =>
        await Http.GetFromJsonAsync<JsonElement>("/healthz", Ct);

    /// <summary>Registers <paramref name="username"/> and answers its token.</summary>
    public async Task<string> RegisterAsync(string username, string password = SafeStreamApp.Password)
    {
        using var response = await Http.PostAsJsonAsync("/auth/register", new { username, password }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"registering {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Polls <c>/healthz</c> until <paramref name="done"/> holds for its storage block (fails after 30 s).</summary>
    public async Task<JsonElement> WaitForStorageAsync(Func<JsonElement, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var storage = (await HealthAsync()).GetProperty("storage");
            if (done(storage))
            {
                return storage;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"storage never got there: {storage}{Environment.NewLine}{Output()}");
            await Task.Delay(50, Ct); // the server's replay runs on its own clock
        }
    }

    public Task<ChatClient> ConnectAsync(string username, string token) => ChatClient.ConnectAsync(BaseAddress, username, token);

    /// <summary>Whether any line the process printed so far holds <paramref name="text"/>.</summary>
    public bool Said(string text)
    {
        lock (_lines)
        {
            return _lines.Exists(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    public string Output()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.TakeLast(60));
        }
    }

    /// <summary>kill -9: no shutdown, no flush, as a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static Process Start(TempFolder dir, IReadOnlyDictionary<string, string?> settings, IEnumerable<string> extra, string? umask = null, int? openFiles = null)
    {
        var info = StartInfo(dir, [.. settings.Select(s => $"--{s.Key}={s.Value}"), .. extra], umask, openFiles: openFiles);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
    }

    private static ProcessStartInfo StartInfo(TempFolder dir, IEnumerable<string> args, string? umask = null, string? dll = null, int? openFiles = null)
    {
        // With a umask or a file limit, sh sets them and execs dotnet in its place: the process id stays the server's.
        string[] prelude = [.. new[] { umask is null ? null : $"umask {umask}", openFiles is null ? null : $"ulimit -n {openFiles}" }.OfType<string>()];
        var info = new ProcessStartInfo(prelude.Length == 0 ? "dotnet" : "sh")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (prelude.Length > 0)
        {
            foreach (var arg in new[] { "-c", $"{string.Join(" && ", prelude)} && exec dotnet \"$@\"", "sh" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.ArgumentList.Add(dll ?? Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        return info;
    }

    private static async Task<ProcessResult> FinishAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the process did not exit within 60 s: {await output}{await error}");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} while starting:{Environment.NewLine}{Output()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("healthz", UriKind.Relative), Ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the server did not answer /healthz within 60 s:{Environment.NewLine}{Output()}");
            }

            await Task.Delay(100, Ct); // a process start has no signal to await
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
