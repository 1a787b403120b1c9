using SafeStream.Bench.Postgres;

namespace SafeStream.Bench.Load;

/// <summary>
/// End to end on loopback, against the targets in bench/README.md, "load": the bare broadcaster and the real
/// server in each storage mode, all started up front, driven by the same load generator at each load back to back (so
/// a neighbour's burst of CPU hits them alike), repeated, then summarised by the median with the ratio to the bare
/// broadcaster.
/// Options: --clients 20,200 --rates 10000,1000 (total offered msg/s, one per client count) --senders 20
/// --warmup 2 --duration 6 (seconds) --repeat 3 --modes DatabaseFirst,DatabaseOnly --server-dll PATH
/// --server-arg --Key=Value (repeatable) --bare-only; --providers Sqlite,PostgreSQL runs each mode on each provider (a
/// database of its own per server, on the server --connection names or a throwaway cluster), side by side.
/// </summary>
internal sealed class LoadBenchmark : IBenchmark
{
    private static readonly LoadSettings JitWarmUp = new(20, 20, 2_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

    public string Name => "load";

    public string Description => "WebSocket chat end to end: bare broadcaster vs SafeStream per storage mode";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var clients = BenchArgs.Ints(args, "--clients", [20, 200]);
        var rates = BenchArgs.Ints(args, "--rates", [10_000, 1_000]);
        if (rates.Length != clients.Length)
        {
            throw new ArgumentException("--rates needs one rate per --clients entry");
        }

        var senders = BenchArgs.Int(args, "--senders", 20);
        var warmUp = TimeSpan.FromSeconds(BenchArgs.Double(args, "--warmup", 2));
        var duration = TimeSpan.FromSeconds(BenchArgs.Double(args, "--duration", 6));
        var repeat = BenchArgs.Int(args, "--repeat", 3);
        var modes = (BenchArgs.Text(args, "--modes") ?? "DatabaseFirst,DatabaseOnly").Split(',');
        var loads = clients.Zip(rates, (n, r) => new LoadSettings(n, Math.Min(senders, n), r, warmUp, duration)).ToList();
        var serverDll = args.Contains("--bare-only") ? null : Path.GetFullPath(BenchArgs.Text(args, "--server-dll") ?? DefaultServerDll());
        var providers = serverDll is null ? [] : (BenchArgs.Text(args, "--providers") ?? "Sqlite").Split(',');
        await using var postgres = providers.Contains("PostgreSQL", StringComparer.OrdinalIgnoreCase)
            ? await BenchPostgres.OpenAsync(BenchArgs.Text(args, "--connection"), cancellationToken)
            : null;

        Console.WriteLine($"load benchmark: {Environment.ProcessorCount} cores shared by servers and generator; warm-up {warmUp.TotalSeconds:0} s, window {duration.TotalSeconds:0} s per row, {repeat} rounds");
        Console.WriteLine(serverDll is null ? "server: skipped (--bare-only)" : $"server: {serverDll}{(postgres is null ? "" : $"; {postgres.Describe}")}");
        var root = Directory.CreateTempSubdirectory("safestream-load-");
        var targets = new List<ILoadTarget>();
        try
        {
            targets.Add(await BareTarget.StartAsync(cancellationToken));
            foreach (var (provider, mode) in providers.SelectMany(p => modes.Select(m => (p, m))))
            {
                var onPostgres = provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
                var name = onPostgres ? $"SafeStream {mode}, PostgreSQL" : $"SafeStream {mode}";
                try
                {
                    string[] storage = onPostgres
                        ? ["--Storage:Provider=PostgreSQL", $"--Storage:ConnectionString={await postgres!.FreshDatabaseAsync($"load_{mode}", cancellationToken)}"]
                        : [];
                    targets.Add(await SafeStreamTarget.StartAsync(serverDll!, mode, name, Path.Combine(root.FullName, provider, mode), [.. storage, .. BenchArgs.All(args, "--server-arg")], null, cancellationToken));
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    Console.WriteLine($"{name}: did not start: {e.Message}");
                }
            }

            // Unmeasured: JIT tiering in a cold server and generator stalls them long enough to overflow send
            // queues at the first full-rate row (seen as clients dropped by a bare broadcaster at 10 000 msg/s).
            foreach (var target in targets)
            {
                await TryAsync(target, JitWarmUp, cancellationToken);
            }

            var table = new LoadTable(targets[0].Name);
            LoadTable.PrintHeader("each run");
            for (var round = 0; round < repeat; round++)
            {
                foreach (var load in loads)
                {
                    foreach (var target in targets)
                    {
                        if (await TryAsync(target, load, cancellationToken) is { } result)
                        {
                            table.Add(result);
                        }
                    }
                }
            }

            table.PrintSummary();
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.Process.DisposeAsync();
                (target as IDisposable)?.Dispose();
            }

            root.Delete(recursive: true);
        }
    }

    private static async Task<LoadResult?> TryAsync(ILoadTarget target, LoadSettings load, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadGenerator.RunAsync(target, load, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One failed row (a server that crashed or refused the load) must not hide the others.
            Console.WriteLine($"{target.Name}, {load.Clients} clients: failed: {e.Message}");
            Console.WriteLine(target.Process.LastLines());
            return null;
        }
    }

    /// <summary>The server's dll as built in this benchmark's configuration, else the other one.</summary>
    internal static string DefaultServerDll()
    {
        // The configuration this benchmark was built in (Release from scripts/loadtest.sh), else the other one.
        var release = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal);
        string[] configurations = release ? ["Release", "Debug"] : ["Debug", "Release"];
        foreach (var configuration in configurations)
        {
            var path = Path.Combine(RepositoryFile.Root, "src", "SafeStream.Server", "bin", configuration, "net10.0", "SafeStream.Server.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("SafeStream.Server.dll not built: run `dotnet build -c Release src/SafeStream.Server` or pass --server-dll");
    }
}
