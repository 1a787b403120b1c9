using System.Diagnostics;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Cli;

/// <summary>
/// The migration tool run for real, as its own process started with umask 022, through import (rejects, backup),
/// verify, export and archive: every folder it makes is 0700 and every file 0600, the database included (SQLite gives
/// its -wal and -shm the database file's mode).
/// </summary>
public sealed class PrivateFilesTests() : ToolTests(DatabaseProvider.Sqlite)
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "safestream-migrate.dll");

    [Fact]
    public async Task EveryFileAndFolderTheToolMakesIsTheOwnersAloneUnderUmask022()
    {
        Tool.Configure("DualWrite");
        var before = FileModes.Entries(Dir.Path).ToHashSet(StringComparer.Ordinal); // the sample and the configuration: the test's own
        string[] scratch = ["--scratch", Dir["scratch"]];

        var first = await RunAsync("import");
        var second = await RunAsync("import"); // the database exists now, so this one backs it up first
        var verify = await RunAsync(["verify", .. scratch]);
        var export = await RunAsync(["export", .. scratch]);
        Tool.Configure("DatabaseOnly");
        var archive = await RunAsync(["archive", .. scratch]);

        Assert.All(new[] { first, second }, r => Assert.True(r.ExitCode == ExitCodes.Rejected, r.Output)); // the sample's line that is not JSON
        Assert.All(new[] { verify, export, archive }, r => Assert.True(r.ExitCode == ExitCodes.Ok, r.Output));
        var made = FileModes.Entries(Dir.Path, before);
        var names = made.Select(p => Path.GetRelativePath(Dir.Path, p)).ToList();
        Assert.Contains("db", names);
        Assert.Contains("db/safestream.db", names);
        Assert.Contains("backups", names);
        Assert.Contains("scratch", names);
        Assert.Contains(names, n => n.StartsWith("backups/rejects-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("backups/safestream-", StringComparison.Ordinal) && n.EndsWith("-before-import.db", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("backups/legacy-", StringComparison.Ordinal) && n.EndsWith(".tar.gz", StringComparison.Ordinal));
        var open = FileModes.NotPrivate(made);
        Assert.True(open.Count == 0, string.Join(Environment.NewLine, open));
    }

    /// <summary>The tool's dll in a process of its own: <c>sh -c 'umask 022 &amp;&amp; exec dotnet safestream-migrate.dll …'</c>.</summary>
    private async Task<ToolResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("sh") { WorkingDirectory = Dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "umask 022 && exec dotnet \"$@\"", "sh", Dll }.Concat(args).Concat(Tool.Flags))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new ToolResult(process.ExitCode, await output + await error);
    }
}
