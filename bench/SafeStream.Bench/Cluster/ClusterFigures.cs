using SafeStream.Bench.Load;

namespace SafeStream.Bench.Cluster;

/// <summary>
/// One cluster benchmark row: the load figures of the window, the latency of messages received on another instance
/// than their sender's (in the window), and the exactly-once check over the whole run. A sender's own echoes say which
/// of its messages the server accepted (stored and announced); every client must then have received each of them
/// once: <see cref="Lost"/> counts deliveries missing, <see cref="Duplicated"/> messages that came again or out of
/// their sender's order, <see cref="Surplus"/> deliveries of messages their sender never saw accepted,
/// <see cref="Unacknowledged"/> messages sent that were never echoed (refused, or lost before storage). Local: the
/// latency of messages received on their sender's instance, in the same window.
/// </summary>
internal sealed record ClusterFigures(
    LoadResult Load,
    double CrossP50,
    double CrossP99,
    double CrossMax,
    double LocalP50,
    double LocalP99,
    long Checked,
    long Lost,
    long Duplicated,
    long Surplus,
    long Unacknowledged,
    long Blocked)
{
    public bool ExactlyOnce => Lost == 0 && Duplicated == 0 && Surplus == 0 && Unacknowledged == 0 && Load.Dropped == 0;

    public static ClusterFigures From(string name, LoadSettings settings, LoadRun run)
    {
        var ledgers = run.Clients.Select(c => c.Ledger ?? throw new InvalidOperationException("a run without ledgers")).ToArray();
        var accepted = Enumerable.Range(0, settings.Senders).Select(s => ledgers[s].Received(s)).ToArray(); // sender s is client s
        var (cross, local) = (new LatencyHistogram(), new LatencyHistogram());
        long expected = 0, lost = 0, surplus = 0;
        foreach (var ledger in ledgers)
        {
            cross.Add(ledger.Remote);
            local.Add(ledger.Local);
            for (var s = 0; s < accepted.Length; s++)
            {
                var received = ledger.Received(s);
                expected += accepted[s];
                lost += Math.Max(0, accepted[s] - received);
                surplus += Math.Max(0, received - accepted[s]);
            }
        }

        return new ClusterFigures(
            run.ToResult(name, settings),
            cross.PercentileMilliseconds(0.50),
            cross.PercentileMilliseconds(0.99),
            cross.PercentileMilliseconds(1.0),
            local.PercentileMilliseconds(0.50),
            local.PercentileMilliseconds(0.99),
            expected,
            lost,
            ledgers.Sum(l => l.OutOfOrder),
            surplus,
            ledgers.Take(settings.Senders).Sum(l => l.Sent) - accepted.Sum(),
            ledgers.Sum(l => l.Blocked));
    }
}

/// <summary>The cluster benchmark's table: each round's two rows, the ratios of the pair to the single instance, and the verdicts.</summary>
internal static class ClusterTable
{
    public const double MaxCrossP99 = 50;

    public static void PrintHeader()
    {
        Console.WriteLine();
        Console.WriteLine(
            $"{"run",-28} {"viewers",7} {"senders",7} {"offered/s",9} {"accepted/s",10} {"delivered/s",11} {"p50 ms",7} {"p99 ms",7} {"max ms",7} " +
            $"{"x-p50",7} {"x-p99",7} {"x-max",7} {"same-p50",8} {"same-p99",8} {"checked",10} {"lost",6} {"dup",5} {"surplus",7} {"unacked",7} {"errors",6} {"dropped",7} {"srv CPU",7} {"gen CPU",7} {"other",5}");
    }

    public static void Print(ClusterFigures f)
    {
        var r = f.Load;
        var s = r.Settings;
        Console.WriteLine(
            $"{r.Target,-28} {s.Clients,7} {s.Senders,7} {s.Rate,9:N0} {r.AcceptedRate,10:N0} {r.DeliveredRate,11:N0} {r.P50,7:0.0} {r.P99,7:0.0} {r.Max,7:0} " +
            $"{Ms(f.CrossP50),7} {Ms(f.CrossP99),7} {Ms(f.CrossMax),7} {Ms(f.LocalP50),8} {Ms(f.LocalP99),8} {f.Checked,10:N0} {f.Lost,6} {f.Duplicated,5} {f.Surplus,7} {f.Unacknowledged,7} {r.Errors,6} {r.Dropped,7} " +
            $"{r.ServerCores,7:0.00} {r.GeneratorCores,7:0.00} {r.OtherCores,5:0.00}");
    }

    /// <summary>The pair against the single instance of the same round, and whether the targets are met.</summary>
    public static bool PrintVerdict(ClusterFigures pair, ClusterFigures single)
    {
        var (p, o) = (pair.Load, single.Load);
        Console.WriteLine(
            $"  2 instances / 1 instance: delivered frames/s {Ratio(p.DeliveredRate, o.DeliveredRate)}, accepted msg/s {Ratio(p.AcceptedRate, o.AcceptedRate)}, " +
            $"p99 {Ratio(p.P99, o.P99)}, server CPU {Ratio(p.ServerCores, o.ServerCores)}");
        var fast = pair.CrossP99 < MaxCrossP99;
        Console.WriteLine(
            $"  cross-instance p99 < {MaxCrossP99:0} ms: {(fast ? "met" : "NOT met")} ({Ms(pair.CrossP99)} ms; p50 {Ms(pair.CrossP50)} ms, max {Ms(pair.CrossMax)} ms; " +
            $"on the sender's own instance, same run: p50 {Ms(pair.LocalP50)} ms, p99 {Ms(pair.LocalP99)} ms)");
        Console.WriteLine($"  nothing lost or duplicated, 2 instances: {Exactly(pair)}");
        Console.WriteLine($"  nothing lost or duplicated, 1 instance:  {Exactly(single)}");
        return fast && pair.ExactlyOnce;
    }

    private static string Exactly(ClusterFigures f) =>
        (f.ExactlyOnce ? "met" : "NOT met") +
        $" ({f.Checked:N0} deliveries checked: {f.Lost} lost, {f.Duplicated} duplicated or out of order, {f.Surplus} of unacknowledged messages, " +
        $"{f.Unacknowledged} sent but never accepted, {f.Load.Dropped} clients dropped, {f.Blocked} blocked frames)";

    private static string Ratio(double value, double reference) => reference > 0 ? $"{value / reference:0.00}" : "-";

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
