namespace SafeStream.Bench.Load;

/// <summary>The load benchmark's table, and how each server row compares with DESIGN.md's targets.</summary>
internal sealed class LoadTable
{
    private readonly List<(LoadResult Result, LoadResult? Reference)> _rows = [];

    public static void PrintHeader()
    {
        Console.WriteLine();
        Console.WriteLine(
            $"{"target",-26} {"clients",7} {"senders",7} {"offered/s",9} {"sent/s",8} {"accepted/s",10} {"delivered/s",11} {"fan-out",7} " +
            $"{"p50 ms",7} {"p99 ms",7} {"max ms",7} {"errors",6} {"dropped",7} {"srv CPU",7} {"gen CPU",7} {"other",5} {"vs bare",7}");
    }

    public void Print(LoadResult result, LoadResult? reference)
    {
        _rows.Add((result, reference));
        var ratio = reference is { AcceptedRate: > 0 } ? $"{result.AcceptedRate / reference.AcceptedRate,7:0.00}" : $"{"-",7}";
        var s = result.Settings;
        Console.WriteLine(
            $"{result.Target,-26} {s.Clients,7} {s.Senders,7} {s.Rate,9:N0} {result.SentRate,8:N0} {result.AcceptedRate,10:N0} {result.DeliveredRate,11:N0} {result.FanOut,7:0.0} " +
            $"{result.P50,7:0.0} {result.P99,7:0.0} {result.Max,7:0} {result.Errors,6} {result.Dropped,7} {result.ServerCores,7:0.00} {result.GeneratorCores,7:0.00} {result.OtherCores,5:0.00} {ratio}");
    }

    /// <summary>DESIGN.md: 20 clients ≥ 8 000 msg/s at p99 &lt; 25 ms; 200 clients ≥ 1 000 msg/s at p99 &lt; 50 ms; ≥ 0.8 of bare.</summary>
    public void PrintVerdicts()
    {
        Console.WriteLine();
        Console.WriteLine("targets (DESIGN.md): 20 clients >= 8,000 msg/s accepted at p99 < 25 ms; 200 clients >= 1,000 msg/s at p99 < 50 ms; >= 0.8 of the bare broadcaster");
        foreach (var (result, reference) in _rows.Where(r => r.Reference is not null))
        {
            var (minRate, maxP99) = result.Settings.Clients <= 20 ? (8_000.0, 25.0) : (1_000.0, 50.0);
            var ratio = reference!.AcceptedRate > 0 ? result.AcceptedRate / reference.AcceptedRate : 0;
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

            if (ratio < 0.8)
            {
                failures.Add($"{ratio:0.00} of bare < 0.8");
            }

            if (result.Dropped > 0 || result.FanOut < result.Settings.Clients * 0.99)
            {
                failures.Add($"{result.Dropped} clients dropped, fan-out {result.FanOut:0.0} of {result.Settings.Clients}");
            }

            var verdict = failures.Count == 0 ? "meets target" : "MISSES: " + string.Join("; ", failures);
            Console.WriteLine($"  {result.Target}, {result.Settings.Clients} clients at {result.Settings.Rate:N0} msg/s: {verdict}");
        }
    }
}
