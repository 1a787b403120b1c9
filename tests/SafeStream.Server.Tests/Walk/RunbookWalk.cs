using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// MIGRATION.md walked as an operator walks it, on one provider: the server's own dll in the deployment's folder,
/// viewers chatting the whole time, every step and every rollback made only by editing <c>appsettings.json</c> or
/// running the command the runbook names. At the end nothing a viewer saw acknowledged is lost or doubled, every
/// legacy record and account is there, and the server never stopped but where the runbook stops it.
/// </summary>
public abstract class RunbookWalk : IAsyncDisposable
{
    private ServerProcess? _server;
    private ChatLoad? _load;

    protected Deployment Site { get; private set; } = null!;

    /// <summary>A walk that failed half-way leaves no viewer chatting and no server running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_load is not null)
        {
            await _load.PauseAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Site?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The provider's settings for the deployment (SQLite's default, or a PostgreSQL database).</summary>
    protected abstract IReadOnlyDictionary<string, string>? Database { get; }

    protected ServerProcess Server => _server ?? throw new InvalidOperationException("the server is stopped");

    /// <summary>Another process takes the database's write lock.</summary>
    protected abstract Task<DatabaseLock> TakeWriteLockAsync();

    /// <summary>The chat messages the walk's viewers sent, as the database holds them.</summary>
    protected abstract Task<IReadOnlyList<(long Id, string Text)>> WalkMessagesAsync();

    /// <summary>Messages whose text holds U+FFFD (a legacy U+0000).</summary>
    protected abstract Task<long> ReplacedNulMessagesAsync();

    /// <summary>What the provider's walk does after the runbook's last step, the service stopped.</summary>
    protected virtual Task AfterTheWalkAsync() => Task.CompletedTask;

    protected async Task WalkAsync()
    {
        Site = new Deployment("JsonlOnly", Database);
        WalkLegacy.Lay(Site.Dir);
        await StepZeroAsync();
        await StepOneAsync();
        await ExpectModeAsync("JsonlOnly", () => Site.SetStorage("Mode", "JsonlOnly")); // step 1's rollback: live
        await StepOneAsync();
        await StepTwoAsync();
        await RollBackStepTwoAsync();
        await StepOneAsync();
        await StepTwoAsync();
        await OutageAndStepThreeAsync();
        await ExpectModeAsync("DatabaseFirst", () => Site.SetStorage("Mode", "DatabaseFirst")); // step 3's rollback: live
        _load!.DatabaseOnly = false;
        await ExpectModeAsync("DatabaseOnly", () => Site.SetStorage("Mode", "DatabaseOnly"));
        _load.DatabaseOnly = true;
        await StepFourAsync();
        await RollBackStepFourAsync();
        await TheEndAsync();
        await StopAsync();
        await AfterTheWalkAsync();
    }

    private async Task StepZeroAsync()
    {
        await StartAsync();
        var accounts = new List<(string, string)>();
        foreach (var user in new[] { "viewer1", "viewer2", "viewer3" })
        {
            accounts.Add((user, await Server.RegisterAsync(user)));
        }

        accounts.Add(("alice", await LoginAsync("alice", "secret123"))); // a legacy account chats too
        _load = new ChatLoad(accounts);
        _load.Start(Server.BaseAddress);
        await _load.AcknowledgedAsync(50);
        await ToolAsync(0, "status");
        var dryRun = await ToolAsync(3, "import", "--dry-run", "--json");
        Assert.Equal(WalkLegacy.NulMessages, Json(dryRun).GetProperty("nul_replaced").GetInt64());
        Assert.Equal(4, Json(dryRun).GetProperty("rejected").GetInt64()); // not JSON, two truncated, a NUL in a name
    }

    private async Task StepOneAsync()
    {
        await ExpectModeAsync("DualWrite", () => Site.SetStorage("Mode", "DualWrite"));
        await ImportUntilCleanAsync();
        await _load!.AcknowledgedAsync(50);
    }

    private async Task StepTwoAsync()
    {
        await ExpectModeAsync("DatabaseFirst", () => Site.SetStorage("Mode", "DatabaseFirst"));
        await ImportUntilCleanAsync();
        var status = Json(await ToolAsync(0, "status", "--json"));
        Assert.Equal(0, status.GetProperty("journal_backlog").GetInt64());
    }

    /// <summary>Stop, files mode, <c>export</c>, start, <c>verify</c>: nothing only in the database any more.</summary>
    private async Task RollBackStepTwoAsync()
    {
        await Server.WaitForStorageAsync(s => s.GetProperty("journal_backlog").GetInt64() == 0);
        await StopAsync();
        Site.SetStorage("Mode", "JsonlOnly");
        await ToolAsync(0, "export");
        await StartAsync();
        var verify = Json(await ToolAsync(null, "verify", "--json")); // lines chatted since the start are in the files only
        Assert.Empty(verify.GetProperty("database_only").EnumerateArray());
    }

    /// <summary>Step 2's outage (another process holds the write lock), and step 3 asked for during it.</summary>
    private async Task OutageAndStepThreeAsync()
    {
        await using (var held = await TakeWriteLockAsync())
        {
            await _load!.AcknowledgedAsync(30); // acknowledged from the journal
            await Server.WaitForStorageAsync(s => s.GetProperty("journal_backlog").GetInt64() > 0);
            Site.SetStorage("Mode", "DatabaseOnly");
            var refused = await Server.WaitForStorageAsync(s => s.GetProperty("requested_mode").GetString() == "DatabaseOnly");
            Assert.Equal("DatabaseFirst", refused.GetProperty("active_mode").GetString());
            Assert.Contains("journal", refused.GetProperty("pending_reason").GetString(), StringComparison.Ordinal);
            await held.ReleaseAsync();
        }

        await Server.WaitForStorageAsync(s => s.GetProperty("active_mode").GetString() == "DatabaseOnly" && s.GetProperty("journal_backlog").GetInt64() == 0);
        _load!.DatabaseOnly = true;
        await _load!.AcknowledgedAsync(30);
        await ImportUntilCleanAsync();
    }

    /// <summary><c>archive</c>, <c>LegacyRetired</c>, restart.</summary>
    private async Task StepFourAsync()
    {
        await ToolAsync(0, "archive");
        Site.SetStorage("LegacyRetired", true);
        await RestartAsync();
        Assert.False(File.Exists(Site["legacy/users.json"]));
    }

    /// <summary><c>LegacyRetired=false</c>, the files back from the archive, restart.</summary>
    private async Task RollBackStepFourAsync()
    {
        await StopAsync();
        Site.SetStorage("LegacyRetired", false);
        var archive = Assert.Single(Directory.GetFiles(Site["backups"], "legacy-*.tar.gz"));
        var untar = await RunAsync("tar", "-xzf", archive, "-C", Site["legacy"]);
        Assert.True(untar.ExitCode == 0, untar.Error);
        File.Delete(Site["legacy/MANIFEST.sha256"]);
        await StartAsync();
        await _load!.AcknowledgedAsync(30);
    }

    private async Task TheEndAsync()
    {
        await ImportUntilCleanAsync();
        foreach (var (user, password) in WalkLegacy.Users)
        {
            Assert.False(string.IsNullOrEmpty(await LoginAsync(user, password)), user);
        }

        using var carol = await PostLoginAsync("carol", "password1");
        Assert.Equal(HttpStatusCode.BadRequest, carol.StatusCode); // disabled in users.json, still disabled
        await _load!.PauseAsync();
        var stored = await WalkMessagesAsync();
        Assert.Equal(stored.Count, stored.Select(m => m.Text).Distinct(StringComparer.Ordinal).Count()); // no text twice
        var byId = stored.ToDictionary(m => m.Id, m => m.Text);
        var lost = _load.Acked.Where(a => !byId.TryGetValue(a.Value, out var text) || text != a.Key).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {_load.Acked.Count} acknowledged messages are not stored under their id: {string.Join(", ", lost.Take(5))}");
        Assert.Equal(WalkLegacy.NulMessages, await ReplacedNulMessagesAsync());
        Assert.True(_load.Drops.Count == 0, $"sockets dropped: {string.Join("; ", _load.Drops)}");
        Assert.True(_load.Errors.Count == 0, $"error frames: {string.Join("; ", _load.Errors.Take(5))}");
        Assert.True(_load.Refused.Count <= _load.Acked.Count / 10, $"{_load.Refused.Count} messages refused in DatabaseOnly: {string.Join("; ", _load.Refused.Take(5))}");
        Assert.False(Server.Said("BackgroundService failed"), Server.Output());
    }

    /// <summary>MIGRATION.md: "run import again, then verify, until it is clean" (lines written meanwhile).</summary>
    private async Task ImportUntilCleanAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            await ToolAsync(3, "import", "--json");
            var verify = await ToolAsync(null, "verify", "--json");
            if (verify.ExitCode == 0)
            {
                return;
            }

            Assert.True(attempt < 5, $"verify never came clean:{Environment.NewLine}{Cut(verify.Output)}");
        }
    }

    private async Task ExpectModeAsync(string mode, Action edit)
    {
        edit();
        await Server.WaitForStorageAsync(s => s.GetProperty("active_mode").GetString() == mode);
        await _load!.AcknowledgedAsync(20);
        Assert.False(Server.HasExited, Server.Output());
    }

    private async Task StartAsync()
    {
        _server = await Site.StartServerAsync();
        _load?.Start(_server.BaseAddress);
    }

    private async Task StopAsync()
    {
        Assert.False(Server.HasExited, $"the server stopped by itself:{Environment.NewLine}{Server.Output()}");
        if (_load is not null)
        {
            await _load.PauseAsync();
        }

        await Server.DisposeAsync();
        _server = null;
    }

    private async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
        await _load!.AcknowledgedAsync(30);
    }

    private async Task<ProcessResult> ToolAsync(int? expected, params string[] args)
    {
        var result = await Site.MigrateAsync(args);
        Assert.True(expected is null || result.ExitCode == expected, $"{string.Join(' ', args)} exited {result.ExitCode}, not {expected}:{Environment.NewLine}{Cut(result.Output)}{Cut(result.Error)}");
        return result;
    }

    private static string Cut(string text) => text.Length > 3000 ? text[..3000] + " …" : text;

    private static JsonElement Json(ProcessResult result) =>
        JsonDocument.Parse(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'))).RootElement;

    private async Task<string> LoginAsync(string user, string password)
    {
        using var response = await PostLoginAsync(user, password);
        Assert.True(response.IsSuccessStatusCode, $"{user} could not log in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> PostLoginAsync(string user, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password });
        return await Server.Http.PostAsync(new Uri("auth/login", UriKind.Relative), form, Ct);
    }

    private static async Task<ProcessResult> RunAsync(string program, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
