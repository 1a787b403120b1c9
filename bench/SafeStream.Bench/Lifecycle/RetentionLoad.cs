using System.Diagnostics;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;

namespace SafeStream.Bench.Lifecycle;

/// <summary>Append latency of a paced chat load through the router, with or without something running beside it.</summary>
internal sealed class RetentionLoad(StorageRouter router, int writers, int rate)
{
    /// <summary><c>Storage:Resilience:AppendBudgetMs</c>'s default.</summary>
    public const int BudgetMs = 100;

    private readonly EventIdGenerator _ids = new(TimeProvider.System, 4);

    /// <summary>
    /// Runs the load for <paramref name="duration"/>, or, when <paramref name="during"/> is given, for as long as it runs
    /// (and at least <paramref name="duration"/>).
    /// </summary>
    public async Task<Latencies> MeasureAsync(TimeSpan duration, Func<CancellationToken, Task>? during, CancellationToken cancellationToken)
    {
        var journalledBefore = router.Current.JournalBacklog;
        using var stop = new CancellationTokenSource();
        var samples = new List<double>[writers];
        var interval = TimeSpan.FromSeconds(writers / (double)rate);
        var load = Enumerable.Range(0, writers).Select(w => Task.Run(
            async () =>
            {
                var mine = samples[w] = [];
                var next = Stopwatch.GetTimestamp();
                while (!stop.IsCancellationRequested)
                {
                    var e = new ChatMessage(_ids.Next(), $"writer{w}", "a chat line said while retention may run", false, 0.01, false, DateTimeOffset.UtcNow);
                    var start = Stopwatch.GetTimestamp();
                    await router.AppendAsync([e], cancellationToken);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }
                }
            },
            cancellationToken)).ToArray();
        var minimum = Task.Delay(duration, cancellationToken);
        if (during is not null)
        {
            await during(cancellationToken);
        }

        await minimum;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var all = samples.SelectMany(s => s).Order().ToArray();
        return new Latencies(all.Length, At(all, 0.50), At(all, 0.99), all[^1], all.Count(ms => ms > BudgetMs), router.Current.JournalBacklog - journalledBefore);
    }

    private static double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    internal sealed record Latencies(int Count, double P50, double P99, double Max, int OverBudget, long Journalled)
    {
        public override string ToString() => $"{Count,7:N0} appends  p50 {P50,6:F2} ms  p99 {P99,6:F2} ms  max {Max,7:F2} ms";
    }
}
