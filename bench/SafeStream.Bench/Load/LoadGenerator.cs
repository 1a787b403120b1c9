using System.Diagnostics;
using System.Net.WebSockets;

namespace SafeStream.Bench.Load;

/// <summary>A server the generator can drive: where client number i connects (renew: after a rejected handshake).</summary>
internal interface ILoadTarget
{
    string Name { get; }

    ChildProcess Process { get; }

    Task<Uri> SocketUriAsync(int client, bool renew, CancellationToken cancellationToken);
}

internal sealed record LoadSettings(int Clients, int Senders, double Rate, TimeSpan WarmUp, TimeSpan Duration);

/// <summary>
/// One measurement. Rates are per second of the window; latencies in milliseconds; CPU in cores used by the server,
/// the generator and everything else on the machine.
/// </summary>
internal sealed record LoadResult(
    string Target,
    LoadSettings Settings,
    double SentRate,
    double AcceptedRate,
    double DeliveredRate,
    double P50,
    double P99,
    double Max,
    long Errors,
    int Dropped,
    double ServerCores,
    double GeneratorCores,
    double OtherCores)
{
    /// <summary>Frames delivered per message accepted: the number of clients when every client gets every broadcast.</summary>
    public double FanOut => AcceptedRate > 0 ? DeliveredRate / AcceptedRate : 0;
}

/// <summary>
/// What a run left behind: its clients (counters, latencies, ledgers) and the CPU used in the window, in cores: the
/// servers' together, the generator's, and everything else on the machine.
/// </summary>
internal sealed record LoadRun(LoadClient[] Clients, double Seconds, double ServerCores, double GeneratorCores, double OtherCores) : IDisposable
{
    public LoadResult ToResult(string target, LoadSettings settings)
    {
        var latency = new LatencyHistogram();
        foreach (var client in Clients)
        {
            latency.Add(client.Latency);
        }

        return new LoadResult(
            target,
            settings,
            Clients.Sum(c => c.Sent) / Seconds,
            Clients.Sum(c => c.Echoed) / Seconds,
            Clients.Sum(c => c.Delivered) / Seconds,
            latency.PercentileMilliseconds(0.50),
            latency.PercentileMilliseconds(0.99),
            latency.PercentileMilliseconds(1.0),
            Clients.Sum(c => c.Errors),
            Clients.Count(c => c.Dropped),
            ServerCores,
            GeneratorCores,
            OtherCores);
    }

    public void Dispose()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>
/// N WebSocket clients on loopback, all receiving every broadcast; K of them send chat at a set total rate. After a
/// warm-up, a window measures accepted messages/s (senders' own echoes), delivered frames/s and the latency from
/// each message's scheduled send time to its delivery at every receiver. With several servers (instances of one
/// cluster), client i connects to server i mod n, so viewers and senders are spread evenly over them.
/// </summary>
internal static class LoadGenerator
{
    private const int ConnectParallelism = 8;
    private static readonly TimeSpan MaxQuietWait = TimeSpan.FromSeconds(30);

    public static async Task<LoadResult> RunAsync(ILoadTarget target, LoadSettings settings, CancellationToken cancellationToken)
    {
        using var run = await DriveAsync([target], settings, ledgers: false, TimeSpan.FromSeconds(1), cancellationToken);
        return run.ToResult(target.Name, settings);
    }

    /// <summary>
    /// One run on <paramref name="targets"/>; with <paramref name="ledgers"/> every client also keeps a
    /// <see cref="DeliveryLedger"/> of the whole run. <paramref name="drain"/>: how long receivers wait after the last send.
    /// </summary>
    public static async Task<LoadRun> DriveAsync(
        IReadOnlyList<ILoadTarget> targets, LoadSettings settings, bool ledgers, TimeSpan drain, CancellationToken cancellationToken)
    {
        var phase = new LoadPhase();
        var clients = new LoadClient[settings.Clients];
        var since = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, settings.Clients, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var senderNumber = i < settings.Senders ? i : -1;
            clients[i] = await ConnectAsync(targets[i % targets.Count], i, senderNumber, phase, ct);
            clients[i].Ledger = ledgers ? new DeliveryLedger(settings.Senders, i % targets.Count, targets.Count, since) : null;
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = clients.Select(c => c.ReceiveAsync(stop.Token)).ToArray();
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var perSender = settings.Rate / settings.Senders;
        var start = Stopwatch.GetTimestamp();
        var stagger = Stopwatch.Frequency / settings.Rate; // spread the senders' schedules over one interval
        var sending = clients.Take(settings.Senders)
            .Select((c, i) => c.SendAsync(perSender, start + (long)(i * stagger), settings.WarmUp, stopSending.Token))
            .ToArray();

        await Task.Delay(settings.WarmUp, cancellationToken);
        var self = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan ServerCpu() => targets.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Process.CpuTime);
        var (serverCpu, generatorCpu, machineCpu) = (ServerCpu(), self.TotalProcessorTime, MachineCpu.BusySeconds());
        var window = Stopwatch.StartNew();
        phase.Open();
        await Task.Delay(settings.Duration, cancellationToken);
        phase.Close();
        var seconds = window.Elapsed.TotalSeconds;
        self.Refresh();
        var serverCores = (ServerCpu() - serverCpu).TotalSeconds / seconds;
        var generatorCores = (self.TotalProcessorTime - generatorCpu).TotalSeconds / seconds;
        var otherCores = Math.Max(0, ((MachineCpu.BusySeconds() - machineCpu) / seconds) - serverCores - generatorCores);

        await stopSending.CancelAsync();
        await Task.WhenAll(sending);
        await Task.Delay(drain, cancellationToken);
        if (ledgers)
        {
            await QuietAsync(clients, cancellationToken);
        }

        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        await stop.CancelAsync();
        await Task.WhenAll(receiving);
        return new LoadRun(clients, seconds, serverCores, generatorCores, otherCores);
    }

    /// <summary>
    /// Until no client has received anything for a second (at most half a minute): a ledger counts the whole run, so
    /// the messages still on their way when the senders stopped must arrive before the sockets close.
    /// </summary>
    private static async Task QuietAsync(LoadClient[] clients, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var last = -1L;
        while (waited.Elapsed < MaxQuietWait)
        {
            var received = clients.Sum(c => c.Ledger!.Total);
            if (received == last)
            {
                return;
            }

            last = received;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task<LoadClient> ConnectAsync(ILoadTarget target, int client, int senderNumber, LoadPhase phase, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadClient.ConnectAsync(await target.SocketUriAsync(client, renew: false, cancellationToken), senderNumber, phase, cancellationToken);
        }
        catch (WebSocketException)
        {
            // A token from an earlier server run may be refused: get a fresh one once.
            return await LoadClient.ConnectAsync(await target.SocketUriAsync(client, renew: true, cancellationToken), senderNumber, phase, cancellationToken);
        }
    }
}
