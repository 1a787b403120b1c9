using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SafeStream.Bench.Storage;
using SafeStream.Storage.Retention;

namespace SafeStream.Bench.Lifecycle;

/// <summary>
/// The retention part of the data-lifecycle figures, on SQLite: (1) events deleted per second by a run (batches of
/// <c>Retention:BatchSize</c>, no pause) next to one raw <c>DELETE … WHERE ts &lt; …</c> of the same rows on an equal
/// copy; (2) chat append latency (DatabaseFirst, a steady load of single-event appends) during a retention run with
/// the default pause, next to the same load without it (target p99 ≤ 1.5×, no append over <c>AppendBudgetMs</c>).
/// Options: --events N (default 400000, half of them older than the horizon), --writers N (8), --rate N appends/s (2000),
/// --batch N (3000), --pause-ms N (100).
/// </summary>
internal sealed class RetentionBenchmark : IBenchmark
{
    public string Name => "lifecycle-retention";

    public string Description => "retention: events deleted/s vs one raw DELETE; append p99 during a run vs without";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var events = Option(args, "--events", 400_000);
        var writers = Option(args, "--writers", 8);
        var rate = Option(args, "--rate", 2000);
        var options = new RetentionOptions { ChatDays = 30, GiftDays = 30, BatchSize = Option(args, "--batch", 3000), PauseMs = Option(args, "--pause-ms", 100) };
        using var root = new BenchFolder();
        Console.WriteLine($"retention benchmark (SQLite): {events:N0} chat events, half older than 30 days; batches of {options.BatchSize}; {Environment.ProcessorCount} cores");
        Console.WriteLine();

        // (1) deletion speed: the run without pauses against one raw DELETE, on two equal databases.
        var fast = await RetentionDatabase.BuildAsync(root.Sub("rate"), events, cancellationToken);
        var copy = root.Sub("raw");
        File.Copy(fast.Path, Path.Combine(copy, "safestream.db"));
        var (deleted, seconds) = await fast.PruneAsync(new RetentionOptions { ChatDays = 30, BatchSize = options.BatchSize, PauseMs = 0 }, cancellationToken);
        await fast.DisposeAsync();
        var (rawDeleted, rawSeconds) = RawDelete(Path.Combine(copy, "safestream.db"), fast.Horizon);
        Check(deleted == rawDeleted, $"the run deleted {deleted:N0} rows, the raw DELETE {rawDeleted:N0}");
        Console.WriteLine($"{"reference: one raw DELETE FROM chat_messages WHERE ts < horizon",-72} {rawDeleted / rawSeconds,12:N0} rows/s ({rawDeleted:N0} in {rawSeconds:F2} s)");
        Console.WriteLine($"{$"retention run, batches of {options.BatchSize}, no pause",-72} {deleted / seconds,12:N0} rows/s ({deleted:N0} in {seconds:F2} s) = {deleted / seconds / (rawDeleted / rawSeconds),5:P0} of raw");
        Console.WriteLine();

        // (2) append latency: the same load before and during a run with the configured pause, on one database.
        await using var db = await RetentionDatabase.BuildAsync(root.Sub("latency"), events, cancellationToken);
        var load = new RetentionLoad(db.Router, writers, rate);
        var baseline = await load.MeasureAsync(TimeSpan.FromSeconds(10), during: null, cancellationToken);
        var during = await load.MeasureAsync(TimeSpan.FromSeconds(2), during: ct => db.PruneAsync(options, ct), cancellationToken);
        Console.WriteLine($"chat appends, {writers} writers at {rate:N0}/s in all, DatabaseFirst, budget {RetentionLoad.BudgetMs} ms:");
        Console.WriteLine($"  {"reference: the same load, no retention run",-66} {baseline}");
        Console.WriteLine($"  {$"during a retention run (batches of {options.BatchSize}, pause {options.PauseMs} ms)",-66} {during}");
        var ratio = during.P99 / baseline.P99;
        Console.WriteLine($"  p99 ratio {ratio:F2} (target <= 1.5): {(ratio <= 1.5 ? "met" : "NOT met")}; appends over the budget during the run: {during.OverBudget} (target 0); journalled: {during.Journalled}");
    }

    private static (long Deleted, double Seconds) RawDelete(string path, long horizon)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM chat_messages WHERE ts < $h";
        command.Parameters.AddWithValue("$h", horizon);
        var clock = Stopwatch.StartNew();
        var deleted = command.ExecuteNonQuery();
        return (deleted, clock.Elapsed.TotalSeconds);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
