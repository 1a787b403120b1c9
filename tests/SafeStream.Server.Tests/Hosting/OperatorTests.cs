using SafeStream.Server.Cli;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>What an operator does beside the service: grant admins, read the logs.</summary>
public sealed class OperatorTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheGrantAdminCommandSetsTheStoredFlagAndRecordsTheAction()
    {
        string carol;
        await using (var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst))
        {
            carol = await app.RegisterAsync("carol");
        }

        var settings = SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst);
        var granted = await AdminCommand.RunAsync(["grant-admin", "carol"], settings);
        var unknown = await AdminCommand.RunAsync(["grant-admin", "nobody"], settings);
        await using var restarted = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);
        var (status, _) = await restarted.PostAsync("/api/admin/reset_metrics", carol);

        Assert.Equal(0, granted);
        Assert.Equal(1, unknown);
        Assert.Equal(200, status);
        var actions = await restarted.Storage.RecentAdminActionsAsync(10, Ct);
        Assert.Contains(actions, a => a.Action == "grant_admin" && a.Target == "carol" && a.Admin.StartsWith("cli:", StringComparison.Ordinal));
        Assert.Null(await restarted.Storage.FindUserAsync("nobody", Ct));
    }

    [Fact]
    public async Task LogsRecordRequestsButNeverTokensOrPasswords()
    {
        var logFile = _dir["logs/server.log"];
        var overrides = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Debug", // the most a misconfigured operator could ask for
            ["Serilog:WriteTo:File:Name"] = "File",
            ["Serilog:WriteTo:File:Args:path"] = logFile,
        };
        string token;
        await using (var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, overrides))
        {
            token = await app.RegisterAsync("alice", "Sup3r-Secret-Pw");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "alice", ["password"] = "Sup3r-Secret-Pw" });
            using var _ = await app.Http.PostAsync("/auth/login", form, Ct);
            await using var socket = await app.ConnectAsync("alice", token);
            await app.GetAsync("/auth/me", token);
            await socket.CloseAsync();
        }

        var log = await File.ReadAllTextAsync(logFile, Ct);

        Assert.Contains("/auth/register", log, StringComparison.Ordinal);
        Assert.Contains("/ws/alice", log, StringComparison.Ordinal);
        Assert.Contains("token=***", log, StringComparison.Ordinal); // the framework did log the query string, masked
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], log, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-Secret-Pw", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestPathWithANewlineCannotForgeALineOfTheLog()
    {
        var logFile = _dir["logs/plain.log"];
        var overrides = new Dictionary<string, string?>
        {
            ["Serilog:WriteTo:Plain:Name"] = "File",
            ["Serilog:WriteTo:Plain:Args:path"] = logFile,
            ["Serilog:WriteTo:Plain:Args:outputTemplate"] = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
        };
        await using (var app = SafeStreamApp.Start(_dir, StorageMode.JsonlOnly, overrides))
        {
            var (status, _) = await app.GetAsync("/%0A[05:00:00 INF] Fake: the admin password is hunter2");
            Assert.Equal(404, status);
        }

        var lines = await File.ReadAllLinesAsync(logFile, Ct);

        Assert.Contains(lines, l => l.Contains("\\u000A[05:00:00 INF] Fake:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("[05:00:00 INF] Fake", StringComparison.Ordinal));
    }
}
