using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Bench.Postgres;
using SafeStream.Bench.Storage;
using SafeStream.Storage;
using SafeStream.Storage.Database;

namespace SafeStream.Bench.Import;

/// <summary>
/// The legacy import against <c>sqlite3 .import</c> of the same rows as CSV, in the same run, for each input size.
/// The tool runs as a child process (as an operator runs it), so its peak memory is its own: the same peak at 1 M and
/// 5 M lines means memory is flat. A dry run of the same files splits the time between reading (parse, hash, keys)
/// and writing. Options: --lines 1000000,5000000  --batch-size N  --keep (leave the files for a look);
/// --provider PostgreSQL [--connection "Host=…"] imports into PostgreSQL instead, against a raw binary COPY of the same
/// rows (<see cref="CopyFromCsv"/>), on that server or a throwaway cluster.
/// </summary>
internal sealed class ImportBenchmark : IBenchmark
{
    public string Name => "import";

    public string Description => "legacy JSONL import (child process) vs sqlite3 .import (or binary COPY on PostgreSQL), lines/s and peak memory";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sizes = Text(args, "--lines")?.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? [1_000_000, 5_000_000];
        var batch = Text(args, "--batch-size");
        string[] batchFlag = batch is null ? [] : ["--batch-size", batch];
        var onPostgres = string.Equals(Text(args, "--provider"), "PostgreSQL", StringComparison.OrdinalIgnoreCase);
        await using var postgres = onPostgres ? await BenchPostgres.OpenAsync(Text(args, "--connection"), cancellationToken) : null;
        var referenceName = postgres is null ? "sqlite3 .import" : "binary COPY";
        Console.WriteLine($"import benchmark: {string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} legacy lines, batch {batch ?? "default"}, {Environment.ProcessorCount} cores, " +
            (postgres is null ? $"sqlite3 {Sqlite3.Version()}" : postgres.Describe));
        Console.WriteLine();
        var rows = new List<string>();
        var runs = new List<(long Lines, ToolFigures Import, double Reference)>();
        foreach (var lines in sizes)
        {
            using var folder = new BenchFolder();
            var generated = new LegacyLineGenerator().Write(Path.Combine(folder.Path, "legacy", "logs"), Path.Combine(folder.Path, "csv"), lines);
            Console.WriteLine($"{lines:N0} lines: {generated.Bytes / 1e6:N0} MB in {generated.Files} files ({generated.Chat:N0} chat, {generated.Gifts:N0} gifts, {generated.AdminActions:N0} admin actions, {generated.Malformed:N0} malformed)");

            var dry = await ToolRun.ImportAsync(folder.Path, await DatabaseAsync(postgres, "dry", lines, cancellationToken), ["--dry-run"], cancellationToken);
            var tool = await DatabaseAsync(postgres, "tool", lines, cancellationToken);
            var import = await ToolRun.ImportAsync(folder.Path, tool, ["--no-backup", .. batchFlag], cancellationToken);
            var again = await ToolRun.ImportAsync(folder.Path, tool, ["--no-backup", .. batchFlag], cancellationToken);
            var reference = postgres is null
                ? await ReferenceAsync(folder.Path, cancellationToken)
                : await CopyFromCsv.RowsPerSecondAsync(Path.Combine(folder.Path, "csv"), await postgres.FreshDatabaseAsync($"import_copy_{lines}", cancellationToken), folder.Sub("copy"), cancellationToken);
            Check(import.Inserted == generated.Chat + generated.Gifts + generated.AdminActions, $"inserted {import.Inserted}, generated {generated.Chat + generated.Gifts + generated.AdminActions}");
            Check(again.Inserted == 0, "a second import must insert nothing");

            Console.WriteLine($"  {"reading only (dry run: parse, SHA-256, source keys)",-62} {dry.LinesPerSecond,10:N0} lines/s  peak {dry.PeakMb,5:N0} MB");
            Console.WriteLine($"  {(postgres is null ? "reference: sqlite3 .import of the same rows as CSV" : "reference: raw NpgsqlBinaryImporter COPY of the same rows"),-62} {reference,10:N0} rows/s");
            Console.WriteLine($"  {"safestream-migrate import into a fresh database",-62} {import.LinesPerSecond,10:N0} lines/s  peak {import.PeakMb,5:N0} MB  {import.LinesPerSecond / reference,5:P0} of {referenceName}");
            Console.WriteLine($"  {"safestream-migrate import again (everything already present)",-62} {again.LinesPerSecond,10:N0} lines/s  peak {again.PeakMb,5:N0} MB");
            Console.WriteLine();
            rows.Add($"| {lines:N0} | {generated.Bytes / 1e6:N0} MB | {import.Seconds:N1} s | {import.LinesPerSecond:N0} | {import.PeakMb:N0} MB | {reference:N0} | {import.LinesPerSecond / reference:P0} | {again.Seconds:N1} s | {dry.LinesPerSecond:N0} |");
            runs.Add((lines, import, reference));
            if (args.Contains("--keep"))
            {
                Console.WriteLine($"  kept in {folder.Path}: press Enter to delete");
                Console.ReadLine();
            }
        }

        Console.WriteLine($"| lines | logs | import | lines/s | peak memory | {referenceName} rows/s | ratio | re-run | read-only lines/s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        if (postgres is not null)
        {
            PrintTargets(runs);
        }
    }

    /// <summary>Issue 11's targets on PostgreSQL: at least 0.7 of the COPY rate, the same peak memory at every size.</summary>
    private static void PrintTargets(List<(long Lines, ToolFigures Import, double Reference)> runs)
    {
        Console.WriteLine();
        foreach (var (lines, import, reference) in runs)
        {
            var ratio = import.LinesPerSecond / reference;
            Console.WriteLine($"target, {lines:N0} lines: >= 70 % of binary COPY: {(ratio >= 0.7 ? "met" : "NOT met")} ({ratio:P0})");
        }

        var (first, last) = (runs[0], runs[^1]);
        var growth = (last.Import.PeakMb / first.Import.PeakMb) - 1;
        Console.WriteLine($"target: peak memory flat from {first.Lines:N0} to {last.Lines:N0} lines: {first.Import.PeakMb:N0} MB -> {last.Import.PeakMb:N0} MB ({growth:+0%;-0%})");
    }

    /// <summary>
    /// The tool's database options: a SQLite file in the run's folder, or an empty PostgreSQL database. Empty, not
    /// missing: the tool takes its instance lease (an advisory lock) in the database before it would create it, so an
    /// import into a database that does not exist yet fails with 3D000.
    /// </summary>
    private static async Task<string[]> DatabaseAsync(BenchPostgres? postgres, string name, long lines, CancellationToken cancellationToken) =>
        postgres is null
            ? ["--connection", $"Data Source={name}.db"]
            : ["--provider", "PostgreSQL", "--connection", await postgres.FreshDatabaseAsync($"import_{name}_{lines}", cancellationToken, empty: true)];

    private static async Task<double> ReferenceAsync(string folder, CancellationToken cancellationToken)
    {
        // The same schema and indexes as the tool's database, created by the same migrations.
        var db = Path.Combine(folder, "reference.db");
        await using (var store = DbStore.Open(new StorageOptions { ConnectionString = $"Data Source={db}" }, TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.OnFirstStart))
        {
            await store.EnsureReadyAsync(cancellationToken);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var script = "PRAGMA synchronous=NORMAL;\n" + string.Concat(CsvRows.Tables.Select(t => $".import --csv --skip 1 {Path.Combine(folder, "csv", t + ".csv")} {t}\n"));
        var clock = Stopwatch.StartNew();
        await Sqlite3.RunAsync(db, script, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var rows = CsvRows.Tables.Sum(t => long.Parse(Sqlite3.Query(db, $"SELECT count(*) FROM {t}"), CultureInfo.InvariantCulture));
        return rows / seconds;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("import benchmark: " + message);
        }
    }
}

/// <summary>The sqlite3 command-line shell.</summary>
internal static class Sqlite3
{
    public static string Version() => Query(":memory:", "SELECT sqlite_version()");

    public static string Query(string db, string sql)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [db, sql]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    public static async Task RunAsync(string db, string script, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [db]) { RedirectStandardInput = true, RedirectStandardError = true })!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || error.Length > 0)
        {
            throw new InvalidOperationException($"sqlite3 failed: {error}");
        }
    }
}
