using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Security;

/// <summary>
/// Password hashes, messages and the lock files are the owner's alone: the server and its admin command, started for
/// real with umask 022, make every folder 0700 and every file 0600, and another local user cannot open any of them
/// (so cannot hold a read lock on <c>journal.lock</c> or the <c>-shm</c> to stop the server).
/// </summary>
public sealed class PrivateFilesTests
{
    [Fact]
    public async Task EveryFileAndFolderTheServerAndItsAdminCommandMakeIsTheOwnersAloneUnderUmask022()
    {
        using var dir = new TempFolder();
        var settings = ServerProcess.Settings(dir, "DualWrite");
        settings["Serilog:WriteTo:1:Name"] = "File";
        settings["Serilog:WriteTo:1:Args:path"] = "logs/server-.log";
        await using (var files = await ServerProcess.StartAsync(dir, settings, umask: "022"))
        {
            var token = await files.RegisterAsync("alice");
            await using var chat = await files.ConnectAsync("alice", token);
            await chat.SendChatAsync("hello");
            await chat.ReceiveAsync(); // persisted (files and database) before it is delivered
        }

        var grant = await ServerProcess.RunToolUnderUmaskAsync(dir, settings, "022", "grant-admin", "alice");
        settings["Storage:Mode"] = "DatabaseFirst";
        await using var server = await ServerProcess.StartAsync(dir, settings, umask: "022");
        await server.RegisterAsync("bob");

        var entries = FileModes.Entries(dir.Path);
        var names = entries.Select(p => Path.GetRelativePath(dir.Path, p)).ToList();
        Assert.True(grant.ExitCode == 0, grant.Output + grant.Error);
        Assert.Contains("db/safestream.db", names);
        Assert.Contains("db/safestream.db-wal", names);
        Assert.Contains("db/safestream.db-shm", names);
        Assert.Contains("legacy/users.json", names);
        Assert.Contains(names, n => n.StartsWith("legacy/logs/chat_", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("legacy/journal/", StringComparison.Ordinal) && n.EndsWith(".lock", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("logs/server-", StringComparison.Ordinal));
        var open = FileModes.NotPrivate(entries);
        Assert.True(open.Count == 0, string.Join(Environment.NewLine, open));
    }

    [Fact]
    public async Task AnotherLocalUserCannotOpenTheJournalLockOrTheDatabaseOfARunningServer()
    {
        using var dir = new TempFolder();
        var control = Path.Combine(dir.Path, "open-to-all");
        await File.WriteAllTextAsync(control, "a file as umask 022 leaves it", Ct);
        await using var server = await ServerProcess.StartAsync(dir, ServerProcess.Settings(dir, "DatabaseFirst"), umask: "022");
        await server.RegisterAsync("alice");

        var locks = Directory.GetFiles(dir["legacy/journal"], "*.lock");

        Assert.True(await FileModes.NobodyCanOpenAsync(control), "the check itself is broken: nobody could not open a 0644 file");
        Assert.NotEmpty(locks);
        foreach (var path in locks.Append(dir["db/safestream.db"]).Append(dir["db/safestream.db-shm"]))
        {
            Assert.False(await FileModes.NobodyCanOpenAsync(path), $"another user opened {path}");
        }
    }

    [Fact]
    public async Task DataLeftOpenToOtherUsersByAnEarlierDeploymentIsNamedAtStart()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir["legacy"]);
        await File.WriteAllTextAsync(dir["legacy/users.json"], "{}", Ct); // 0644 in a 0755 folder: the test's umask 022

        var server = await ServerProcess.StartAsync(dir, ServerProcess.Settings(dir, "DatabaseFirst"));
        await server.DisposeAsync(); // its output is read to the end

        Assert.Contains($"{dir["legacy"]} is open to other local users (mode 0755)", server.Output(), StringComparison.Ordinal);
        Assert.Contains($"{dir["legacy/users.json"]} is open to other local users (mode 0644)", server.Output(), StringComparison.Ordinal);
        Assert.DoesNotContain($"{dir["legacy/journal"]} is open", server.Output(), StringComparison.Ordinal); // made 0700 by the server
    }
}
