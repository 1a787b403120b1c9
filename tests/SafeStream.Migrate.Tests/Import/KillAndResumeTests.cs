using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>An import killed (SIGKILL) in the middle of its run, then run again: nothing lost, nothing twice.</summary>
public sealed partial class KillAndResumeTests : IDisposable
{
    private const int Lines = 120_000;
    private readonly TempFolder _dir = new();
    private readonly Tool _tool;

    public KillAndResumeTests() => _tool = new Tool(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AKilledImportResumesWithoutLossOrDuplicates()
    {
        WriteLogs();
        using var child = StartImport();
        await WaitForCommittedRowsAsync(child);

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(Ct);
        var afterKill = Db.Scalar(_tool.Database, "SELECT count(*) FROM chat_messages");
        var resumed = await _tool.RunAsync("import", "--no-backup");
        var verify = await _tool.RunAsync("verify");

        Assert.InRange(afterKill, 1, Lines - 1);
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        Assert.Equal(Lines, Db.Scalar(_tool.Database, "SELECT count(*) FROM chat_messages"));
        Assert.Equal(Lines, Db.Scalar(_tool.Database, "SELECT count(DISTINCT source_key) FROM chat_messages"));
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
    }

    // Spread over a rotated set, as the legacy writer leaves it.
    private void WriteLogs()
    {
        var date = new DateOnly(2025, 7, 1);
        var perFile = Lines / 4;
        for (var file = 0; file < 4; file++)
        {
            var name = LogFiles.NameFor(date) + (file == 3 ? "" : "." + (3 - file).ToString(CultureInfo.InvariantCulture));
            LegacyLog.Append(Path.Combine(_tool.Logs, name), Enumerable.Range(file * perFile, perFile).Select(n => LegacyLog.Chat(n)));
        }
    }

    private Process StartImport()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "safestream-migrate.dll"), "import", "--no-backup", "--batch-size", "2000", .. _tool.Flags])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    // The tool prints a plain progress line at its first commit when its output is not a terminal.
    private static async Task WaitForCommittedRowsAsync(Process child)
    {
        while (await child.StandardOutput.ReadLineAsync(Ct) is { } line)
        {
            if (Inserted().Match(line) is { Success: true } match && long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0)
            {
                return;
            }
        }

        Assert.Fail($"the import ended before it reported a commit: {await child.StandardError.ReadToEndAsync(Ct)}");
    }

    [GeneratedRegex(@"^progress: [\d,]+ lines read, ([\d,]+) inserted")]
    private static partial Regex Inserted();
}
