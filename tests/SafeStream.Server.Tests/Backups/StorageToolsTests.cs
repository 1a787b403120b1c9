using System.Text.Json;
using SafeStream.Server.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Backups;

/// <summary>backup, stats, check and optimize run in this process against the folder of a real in-process server.</summary>
public sealed class StorageToolsTests : IAsyncLifetime
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
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("stats")]
    [InlineData("check")]
    [InlineData("optimize")]
    public async Task EveryStorageToolHasHelpThatTouchesNothing(string command)
    {
        var (code, output, _) = await RunAsync(command, "--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--json", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["db"]));
    }

    [Fact]
    public async Task ABackupTakenWhileTheServerRunsCountsEveryRowAndStatsShowItWithTheLastRetentionRun()
    {
        _app = SafeStreamApp.Start(_dir);
        var token = await _app.RegisterAsync("alice");
        await using (var alice = await _app.ConnectAsync("alice", token))
        {
            for (var i = 0; i < 5; i++)
            {
                await alice.SendChatAsync($"hello {i}");
                await alice.ReceiveAsync();
            }
        }

        var at = DateTimeOffset.UtcNow;
        await _app.Storage.AppendAsync([new AdminAction(EventIds(at), "system:retention", "retention", null, "chat 12, gifts 0", at)], Ct);

        var (code, output, error) = await RunAsync("backup", "--json");
        var (statsCode, statsOutput, _) = await RunAsync("stats", "--json");
        var (_, statsText, _) = await RunAsync("stats");

        Assert.True(code == 0, error);
        var answer = JsonDocument.Parse(output).RootElement;
        var file = answer.GetProperty("file").GetString()!;
        var manifest = answer.GetProperty("manifest");
        Assert.True(File.Exists(file));
        Assert.True(File.Exists(Path.ChangeExtension(file, null) + ".manifest.json"));
        Assert.Equal(5, manifest.GetProperty("rows").GetProperty("chat_messages").GetInt64());
        Assert.Equal(1, manifest.GetProperty("rows").GetProperty("users").GetInt64());
        Assert.Equal(new FileInfo(file).Length, manifest.GetProperty("bytes").GetInt64());
        Assert.Equal("Sqlite", manifest.GetProperty("provider").GetString());
        Assert.Equal(0, statsCode);
        var stats = JsonDocument.Parse(statsOutput).RootElement;
        Assert.Equal(5, stats.GetProperty("events")[0].GetProperty("rows").GetInt64());
        Assert.Equal(file, stats.GetProperty("last_backup").GetProperty("file").GetString());
        Assert.Equal("chat 12, gifts 0", stats.GetProperty("last_retention").GetProperty("details").GetString());
        Assert.True(stats.GetProperty("database_bytes").GetInt64() > 0);
        Assert.Contains("last backup", statsText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckPassesOnASoundDatabaseAndFailsNamingTheProblemOnADamagedOne()
    {
        _app = SafeStreamApp.Start(_dir);
        var token = await _app.RegisterAsync("bob");
        await using (var bob = await _app.ConnectAsync("bob", token))
        {
            for (var i = 0; i < 300; i++)
            {
                await bob.SendChatAsync(new string('x', 200) + i);
                await bob.ReceiveAsync();
            }
        }

        var (sound, soundOutput, _) = await RunAsync("check");
        await _app.DisposeAsync();
        _app = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Damage(_dir["db/safestream.db"]);
        var (damaged, _, damagedError) = await RunAsync("check", "--json");

        Assert.True(sound == 0, soundOutput);
        Assert.Contains("ok      integrity: PRAGMA integrity_check: ok", soundOutput, StringComparison.Ordinal);
        Assert.Equal(1, damaged);
        var checks = JsonDocument.Parse(damagedError).RootElement;
        Assert.False(checks.GetProperty("ok").GetBoolean());
        Assert.Contains(checks.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "integrity" && !c.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task OptimizeSaysWhatItDidAndLeavesAVacuumToAStoppedServer()
    {
        _app = SafeStreamApp.Start(_dir);
        await _app.RegisterAsync("carol");

        var (code, output, _) = await RunAsync("optimize");
        var (vacuum, _, refused) = await RunAsync("optimize", "--vacuum");

        Assert.Equal(0, code);
        Assert.Contains("PRAGMA optimize", output, StringComparison.Ordinal);
        Assert.Equal(1, vacuum);
        Assert.Contains("stop it first", refused, StringComparison.Ordinal);
    }

    private static long EventIds(DateTimeOffset at) => new Storage.EventIds.EventIdGenerator(TimeProvider.System, 11).Next();

    /// <summary>Overwrites a page in the middle of the file (an index or table page) with garbage.</summary>
    /// <summary>
    /// Overwrites a page in the middle of the database file. Every page is first checkpointed from the WAL into the
    /// file: a page whose newer copy still sat in the WAL was read from there, and the damage went unseen.
    /// </summary>
    private static void Damage(string path)
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = checkpoint.ExecuteReader();
            Assert.True(reader.Read() && reader.GetInt64(0) == 0, "the checkpoint was blocked by another connection");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var pages = file.Length / 4096;
        file.Position = (pages / 2) * 4096;
        file.Write(Enumerable.Repeat((byte)0x5A, 4096).ToArray());
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst);
        settings["Storage:BackupsPath"] = _dir["backups"];
        var code = await AdminCommand.RunAsync(args, settings, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
