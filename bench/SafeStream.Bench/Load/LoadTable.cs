namespace SafeStream.Bench.Load;

/// <summary>
/// The load benchmark's tables: every run as it completes, then the median per target and load (field by field)
/// with the ratio to the bare broadcaster's median, and how each server compares with the targets (bench/README.md,
/// "load").
/// </summary>
internal sealed class LoadTable(string referenceName)
{
    private readonly List<LoadResult> _runs = [];

    public static void PrintHeader(string title)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"{title,-36} {"clients",7} {"senders",7} {"offered/s",9} {"sent/s",8} {"accepted/s",10} {"delivered/s",11} {"fan-out",7} " +
            $"{"p50 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6} {"dropped",7} {"srv CPU",7} {"gen CPU",7} {"other",5} {"vs bare",7}");
    }

    public void Add(LoadResult result)
    {
        _runs.Add(result);
        Print(result, null);
    }

    public void PrintSummary()
    {
        var medians = _runs
            .GroupBy(r => (r.Target, r.Settings))
            .Select(g => Median([.. g]))
            .OrderBy(r => r.Settings.Clients)
            .ThenBy(r => r.Target == referenceName ? 0 : 1)
            .ToList();
        var rounds = _runs.GroupBy(r => (r.Target, r.Settings)).Max(g => g.Count());
        PrintHeader($"median of {rounds} runs");
        foreach (var median in medians)
        {
            Print(median, Reference(medians, median));
        }

        Console.WriteLine();
        Console.WriteLine("targets: 20 clients >= 8,000 msg/s accepted at p99 < 25 ms; 200 clients >= 1,000 msg/s at p99 < 50 ms; >= 0.8 of the bare broadcaster");
        foreach (var median in medians.Where(m => m.Target != referenceName))
        {
            Console.WriteLine($"  {median.Target}, {median.Settings.Clients} clients at {median.Settings.Rate:N0} msg/s: {Verdict(median, Reference(medians, median))}");
        }
    }

    private static void Print(LoadResult result, LoadResult? reference)
    {
        var ratio = reference is { AcceptedRate: > 0 } ? $"{result.AcceptedRate / reference.AcceptedRate,7:0.00}" : $"{"-",7}";
        var s = result.Settings;
        Console.WriteLine(
            $"{result.Target,-36} {s.Clients,7} {s.Senders,7} {s.Rate,9:N0} {result.SentRate,8:N0} {result.AcceptedRate,10:N0} {result.DeliveredRate,11:N0} {result.FanOut,7:0.0} " +
            $"{result.P50,7:0.0} {result.P99,7:0.0} {result.Max,7:0} {result.Errors,6} {result.Dropped,7} {result.ServerCores,7:0.00} {result.GeneratorCores,7:0.00} {result.OtherCores,5:0.00} {ratio}");
    }

    private LoadResult? Reference(List<LoadResult> medians, LoadResult result) =>
        result.Target == referenceName ? null : medians.FirstOrDefault(m => m.Target == referenceName && m.Settings == result.Settings);

    private static string Verdict(LoadResult result, LoadResult? reference)
    {
        var (minRate, maxP99) = result.Settings.Clients <= 20 ? (8_000.0, 25.0) : (1_000.0, 50.0);
        var failures = new List<string>();

        // The offered rate is the target itself, so allow the window's rounding (1 %) before calling it a miss.
        if (result.AcceptedRate < minRate * 0.99)
        {
            failures.Add($"accepted {result.AcceptedRate:N0} < {minRate:N0}/s");
        }

        if (!(result.P99 < maxP99))
        {
            failures.Add($"p99 {result.P99:0.0} ms >= {maxP99} ms");
        }

        var ratio = reference is { AcceptedRate: > 0 } ? result.AcceptedRate / reference.AcceptedRate : double.NaN;
        if (ratio < 0.8)
        {
            failures.Add($"{ratio:0.00} of bare < 0.8");
        }

        if (result.Dropped > 0 || result.FanOut < result.Settings.Clients * 0.99)
        {
            failures.Add($"{result.Dropped} clients dropped, fan-out {result.FanOut:0.0} of {result.Settings.Clients}");
        }

        return failures.Count == 0 ? "meets target" : "MISSES: " + string.Join("; ", failures);
    }

    private static LoadResult Median(IReadOnlyList<LoadResult> runs)
    {
        double M(Func<LoadResult, double> field)
        {
            // A run that delivered nothing has no latency (NaN): it counts as the worst, not the best.
            var sorted = runs.Select(field).Select(v => double.IsNaN(v) ? double.PositiveInfinity : v).Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        return new LoadResult(
            runs[0].Target,
            runs[0].Settings,
            M(r => r.SentRate),
            M(r => r.AcceptedRate),
            M(r => r.DeliveredRate),
            M(r => r.P50),
            M(r => r.P99),
            M(r => r.Max),
            (long)M(r => r.Errors),
            (int)M(r => r.Dropped),
            M(r => r.ServerCores),
            M(r => r.GeneratorCores),
            M(r => r.OtherCores));
    }
}
