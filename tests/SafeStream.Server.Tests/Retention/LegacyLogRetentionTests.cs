using System.Text;
using System.Text.Json;
using SafeStream.Server.Cli;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Server.Tests.Retention;

/// <summary>
/// Retention in the file modes: the legacy logs lose their chat and gift lines older than the horizon, every other line
/// keeps its bytes, a log left empty goes, and a server appending to the log being rewritten loses nothing.
/// </summary>
public sealed class LegacyLogRetentionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PruneRewritesTheLiveLogWithoutOldChatAndGiftsWhileTheServerKeepsAppendingToIt()
    {
        var now = DateTimeOffset.UtcNow;
        var logs = _dir["legacy/logs"];
        var live = Path.Combine(logs, LogFiles.NameFor(DateOnly.FromDateTime(now.UtcDateTime)));
        var rotated = Path.Combine(logs, LogFiles.NameFor(DateOnly.FromDateTime(now.AddDays(-41).UtcDateTime)) + ".1");
        string[] kept =
        [
            Line(new AdminAction(0, "root", "kick", "troll", null, now.AddDays(-400))),
            Line(new ChatMessage(0, "bob", "ten days ago", false, 1.5e-06, false, now.AddDays(-10))),
            "{not json, so it cannot be dated: kept",
            Line(new Gift(0, "bob", 3, 2, now.AddDays(-29))),
        ];
        string[] old =
        [
            Line(new ChatMessage(0, "bob", "forty days ago", false, 0.1, false, now.AddDays(-40))),
            Line(new Gift(0, "bob", 1, 1, now.AddDays(-40))),
            Line(new ChatMessage(0, "bob", "thirty-one days ago", true, 0.9, true, now.AddDays(-31))),
        ];
        Write(live, [old[0], kept[0], old[1], kept[1], kept[2], old[2], kept[3]]);
        Write(rotated, [old[0], old[1]]);
        var settings = SafeStreamApp.Settings(_dir, StorageMode.JsonlOnly);
        settings["Retention:ChatDays"] = "30";
        settings["Retention:GiftDays"] = "30";
        await using var app = SafeStreamApp.Start(_dir, StorageMode.JsonlOnly, settings);
        var alice = await app.RegisterAsync("alice");
        await app.SayAsync("alice", alice, "before 0", "before 1");

        var (code, output) = await PruneAsync(settings);
        await app.SayAsync("alice", alice, "after 0", "after 1");

        Assert.True(code == 0, output);
        var report = JsonDocument.Parse(output).RootElement;
        var kinds = report.GetProperty("kinds").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!, k => k.GetProperty("log_lines").GetInt64());
        Assert.Equal((3L, 2L, 0L), (kinds["chat"], kinds["gifts"], kinds["admin_actions"]));
        Assert.Equal(2, report.GetProperty("log_files").GetInt32());
        Assert.False(File.Exists(rotated)); // nothing was left in it
        var lines = File.ReadAllLines(live);
        Assert.Equal(kept, lines.Take(kept.Length));
        var said = lines.Skip(kept.Length).Select(l => LegacyLines.Parse(Encoding.UTF8.GetBytes(l)).Event).ToList();
        Assert.Equal(["before 0", "before 1", "after 0", "after 1"], said.OfType<ChatMessage>().Select(m => m.Text));
        Assert.Equal(Pruner.Actor, Assert.Single(said.OfType<AdminAction>()).Admin);
    }

    private static string Line(StorageEvent e) => LegacyLines.Format(e);

    private static void Write(string path, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
    }

    private static async Task<(int Code, string Output)> PruneAsync(Dictionary<string, string?> settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(["prune", "--json"], settings, output, error);
        return (code, code == 0 ? output.ToString() : error.ToString());
    }
}
