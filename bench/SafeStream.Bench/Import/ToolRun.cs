using System.Diagnostics;
using System.Text.Json;

namespace SafeStream.Bench.Import;

/// <summary>The tool's own figures from its <c>--json</c> summary.</summary>
internal sealed record ToolFigures(long Lines, long Inserted, double Seconds, double LinesPerSecond, double PeakMb);

/// <summary>safestream-migrate as a child process: the bench's output folder holds the tool, as the referenced project.</summary>
internal static class ToolRun
{
    /// <param name="database">The tool's database options: <c>--connection</c>, and <c>--provider</c> unless it is SQLite.</param>
    public static async Task<ToolFigures> ImportAsync(string folder, string[] database, string[] extra, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "safestream-migrate.dll"), "import", "--json", "--config", "none.json", "--legacy", "legacy", "--backups", "backups", .. database, .. extra])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode is not (0 or 3))
        {
            throw new InvalidOperationException($"safestream-migrate exited with {process.ExitCode}: {await error}");
        }

        using var json = JsonDocument.Parse(await output);
        var root = json.RootElement;
        return new ToolFigures(
            root.GetProperty("lines").GetInt64(),
            root.GetProperty("inserted").GetInt64(),
            root.GetProperty("seconds").GetDouble(),
            root.GetProperty("lines_per_second").GetDouble(),
            root.GetProperty("peak_working_set_bytes").GetInt64() / 1e6);
    }
}
