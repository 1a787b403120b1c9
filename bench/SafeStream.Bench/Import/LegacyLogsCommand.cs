using System.Globalization;

namespace SafeStream.Bench.Import;

/// <summary>
/// Writes generated legacy files into a folder, to rehearse a migration on realistic data:
/// <c>legacy-logs --lines 1000000 --out /tmp/rehearsal</c> leaves <c>logs/</c> (and the CSV of its rows in <c>csv/</c>).
/// </summary>
internal sealed class LegacyLogsCommand : IBenchmark
{
    public string Name => "legacy-logs";

    public string Description => "generate legacy chat logs for a rehearsal: --lines N --out FOLDER";

    public Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var lines = long.Parse(Value(args, "--lines") ?? "1000000", CultureInfo.InvariantCulture);
        var output = Path.GetFullPath(Value(args, "--out") ?? "legacy-rehearsal");
        var generated = new LegacyLineGenerator().Write(Path.Combine(output, "logs"), Path.Combine(output, "csv"), lines);
        Console.WriteLine($"{generated.Lines:N0} lines ({generated.Bytes / 1e6:N0} MB, {generated.Files} files) in {Path.Combine(output, "logs")}");
        return Task.CompletedTask;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
