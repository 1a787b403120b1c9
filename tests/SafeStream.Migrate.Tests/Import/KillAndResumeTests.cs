using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>An import killed (SIGKILL) in the middle of its run, then run again: nothing lost, nothing twice.</summary>
public abstract partial class KillAndResumeTests(DatabaseProvider provider) : ToolTests(provider, sample: false)
{
    private const int Lines = 120_000;

    [Fact]
    public async Task AKilledImportResumesWithoutLossOrDuplicates()
    {
        WriteLogs();
        using var child = StartImport();
        await WaitForCommittedRowsAsync(child);

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(Ct);
        var afterKill = await Tool.ScalarAsync("SELECT count(*) FROM chat_messages");
        var resumed = await Tool.RunAsync("import", "--no-backup");
        var verify = await Tool.RunAsync("verify");

        Assert.InRange(afterKill, 1, Lines - 1);
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        Assert.Equal(Lines, await Tool.ScalarAsync("SELECT count(*) FROM chat_messages"));
        Assert.Equal(Lines, await Tool.ScalarAsync("SELECT count(DISTINCT source_key) FROM chat_messages"));
        Assert.Equal(Lines, await Tool.ScalarAsync("SELECT count(DISTINCT message) FROM chat_messages"));
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
            LegacyLog.Append(Path.Combine(Tool.Logs, name), Enumerable.Range(file * perFile, perFile).Select(n => LegacyLog.Chat(n)));
        }
    }

    private Process StartImport()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "safestream-migrate.dll"), "import", "--no-backup", "--batch-size", "2000", .. Tool.Flags])
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

public sealed class KillAndResumeOnSqlite() : KillAndResumeTests(DatabaseProvider.Sqlite);

public sealed class KillAndResumeOnPostgres() : KillAndResumeTests(DatabaseProvider.PostgreSQL);
