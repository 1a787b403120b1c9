using System.Text.Json;
using SafeStream.Bench.Load;
using SafeStream.Bench.Postgres;

namespace SafeStream.Bench.Cluster;

/// <summary>
/// Two real server instances on one PostgreSQL database (each in a folder of its own, its own port, the instance
/// number left to the server), against one instance alone on a database of its own on the same PostgreSQL server,
/// started up front and driven by the load benchmark's generator back to back: viewers spread evenly over the
/// instances, senders too (client i on instance i mod 2), every client counting what it received over the whole run.
/// Prints the latency of messages received on the other instance than their sender's, whether every client received
/// every accepted message exactly once, and the pair's delivered frames/s beside the single instance's.
/// Options: --viewers 100 (per instance of the pair; the single instance gets them all) --senders 20 --rate 1000
/// (msg/s in all) --warmup 3 --duration 15 (seconds) --repeat 1 --mode DatabaseFirst|DatabaseOnly --server-dll PATH
/// --server-arg --Key=Value (repeatable) --connection "Host=…" (else a throwaway PostgreSQL cluster).
/// </summary>
internal sealed class ClusterBenchmark : IBenchmark
{
    private const int Instances = 2;
    private static readonly LoadSettings JitWarmUp = new(20, 20, 2_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    public string Name => "cluster";

    public string Description => "two instances on one PostgreSQL: cross-instance latency, exactly once, vs one instance";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var viewers = BenchArgs.Int(args, "--viewers", 100);
        var senders = BenchArgs.Int(args, "--senders", 20);
        var rate = BenchArgs.Double(args, "--rate", 1_000);
        var warmUp = TimeSpan.FromSeconds(BenchArgs.Double(args, "--warmup", 3));
        var duration = TimeSpan.FromSeconds(BenchArgs.Double(args, "--duration", 15));
        var repeat = BenchArgs.Int(args, "--repeat", 1);
        var mode = BenchArgs.Text(args, "--mode") ?? "DatabaseFirst";
        var serverDll = Path.GetFullPath(BenchArgs.Text(args, "--server-dll") ?? LoadBenchmark.DefaultServerDll());
        var load = new LoadSettings(viewers * Instances, Math.Min(senders, viewers * Instances), rate, warmUp, duration);
        await using var postgres = await BenchPostgres.OpenAsync(BenchArgs.Text(args, "--connection"), cancellationToken);

        Console.WriteLine($"cluster benchmark: {Environment.ProcessorCount} cores shared by 3 servers, PostgreSQL and the generator; {mode}; warm-up {warmUp.TotalSeconds:0} s, window {duration.TotalSeconds:0} s, {repeat} round(s)");
        Console.WriteLine($"server: {serverDll}; {postgres.Describe}");
        var root = Directory.CreateTempSubdirectory("safestream-cluster-");
        var pair = new List<SafeStreamTarget>();
        SafeStreamTarget? single = null;
        try
        {
            var secret = SafeStreamTarget.NewJwtSecret();
            var shared = await postgres.FreshDatabaseAsync("cluster_pair", cancellationToken, empty: true);
            for (var i = 0; i < Instances; i++)
            {
                var name = $"instance {(char)('A' + i)}";
                pair.Add(await StartAsync(serverDll, mode, name, shared, secret, Path.Combine(root.FullName, $"pair-{i}"), args, cancellationToken));
            }

            var alone = await postgres.FreshDatabaseAsync("cluster_single", cancellationToken);
            single = await StartAsync(serverDll, mode, "one instance", alone, secret, Path.Combine(root.FullName, "single"), args, cancellationToken);
            foreach (var target in pair)
            {
                Console.WriteLine(await InstanceAsync(target, cancellationToken));
            }

            // Unmeasured: JIT tiering in cold servers and generator.
            (await LoadGenerator.DriveAsync(pair, JitWarmUp, ledgers: true, Drain, cancellationToken)).Dispose();
            (await LoadGenerator.DriveAsync([single], JitWarmUp, ledgers: true, Drain, cancellationToken)).Dispose();

            var met = true;
            for (var round = 0; round < repeat; round++)
            {
                ClusterTable.PrintHeader();
                var pairFigures = await MeasureAsync(pair, $"2 instances ({viewers} + {viewers})", load, cancellationToken);
                var singleFigures = await MeasureAsync([single], $"1 instance ({viewers * Instances})", load, cancellationToken);
                met &= ClusterTable.PrintVerdict(pairFigures, singleFigures);
                foreach (var target in pair.Append(single))
                {
                    Console.WriteLine("  " + await InstanceAsync(target, cancellationToken));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"targets (cross-instance p99 < {ClusterTable.MaxCrossP99:0} ms, nothing lost or duplicated) in every round: {(met ? "met" : "NOT met")}");
        }
        finally
        {
            foreach (var target in pair.Append(single).OfType<SafeStreamTarget>())
            {
                await target.Process.DisposeAsync();
                target.Dispose();
            }

            root.Delete(recursive: true);
        }
    }

    private static async Task<ClusterFigures> MeasureAsync(IReadOnlyList<SafeStreamTarget> targets, string name, LoadSettings load, CancellationToken cancellationToken)
    {
        using var run = await LoadGenerator.DriveAsync(targets, load, ledgers: true, Drain, cancellationToken);
        var figures = ClusterFigures.From(name, load, run);
        ClusterTable.Print(figures);
        return figures;
    }

    private static async Task<SafeStreamTarget> StartAsync(
        string serverDll, string mode, string name, string connection, string secret, string folder, string[] args, CancellationToken cancellationToken)
    {
        string[] storage = ["--Storage:Provider=PostgreSQL", $"--Storage:ConnectionString={connection}"];
        var target = await SafeStreamTarget.StartAsync(serverDll, mode, name, folder, [.. storage, .. BenchArgs.All(args, "--server-arg")], secret, cancellationToken);

        // One account registered before the next instance starts: its storage is ready (database created, migrated).
        await target.SocketUriAsync(0, renew: false, cancellationToken);
        return target;
    }

    /// <summary>
    /// The instance number, the fan-out listener and the storage status, from /healthz: a message that went to the
    /// journal (a commit over <c>AppendBudgetMs</c>, an open breaker) is replayed later and never announced to the
    /// other instances, which their viewers' ledgers then count as lost.
    /// </summary>
    private static async Task<string> InstanceAsync(SafeStreamTarget target, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = target.Process.BaseUri };
        await using var body = await http.GetStreamAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
        using var health = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = health.RootElement;
        string Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "?";
        var (fanout, storage) = (root.GetProperty("fanout"), root.GetProperty("storage"));
        return $"{target.Name}: instance number {Field(root, "instance")}, fan-out {Field(fanout, "state")} (lag {Field(fanout, "lag_ms")} ms, " +
            $"{Field(fanout, "reconnects")} reconnects); storage {Field(storage, "active_mode")}, breaker {Field(storage, "breaker")}, " +
            $"journal backlog {Field(storage, "journal_backlog")}, replayed {Field(storage, "replayed_records")}";
    }
}
