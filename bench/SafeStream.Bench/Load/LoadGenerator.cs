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
/// N WebSocket clients on loopback, all receiving every broadcast; K of them send chat at a set total rate. After a
/// warm-up, a window measures accepted messages/s (senders' own echoes), delivered frames/s and the latency from
/// each message's scheduled send time to its delivery at every receiver.
/// </summary>
internal static class LoadGenerator
{
    private const int ConnectParallelism = 8;
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(1);

    public static async Task<LoadResult> RunAsync(ILoadTarget target, LoadSettings settings, CancellationToken cancellationToken)
    {
        var phase = new LoadPhase();
        var clients = new LoadClient[settings.Clients];
        await Parallel.ForAsync(0, settings.Clients, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var senderNumber = i < settings.Senders ? i : -1;
            clients[i] = await ConnectAsync(target, i, senderNumber, phase, ct);
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
        var (serverCpu, generatorCpu, machineCpu) = (target.Process.CpuTime, self.TotalProcessorTime, MachineCpu.BusySeconds());
        var window = Stopwatch.StartNew();
        phase.Open();
        await Task.Delay(settings.Duration, cancellationToken);
        phase.Close();
        var seconds = window.Elapsed.TotalSeconds;
        self.Refresh();
        var serverCores = (target.Process.CpuTime - serverCpu).TotalSeconds / seconds;
        var generatorCores = (self.TotalProcessorTime - generatorCpu).TotalSeconds / seconds;
        var otherCores = Math.Max(0, ((MachineCpu.BusySeconds() - machineCpu) / seconds) - serverCores - generatorCores);

        await stopSending.CancelAsync();
        await Task.WhenAll(sending);
        await Task.Delay(Drain, cancellationToken);
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        await stop.CancelAsync();
        await Task.WhenAll(receiving);

        var latency = new LatencyHistogram();
        foreach (var client in clients)
        {
            latency.Add(client.Latency);
            client.Dispose();
        }

        return new LoadResult(
            target.Name,
            settings,
            clients.Sum(c => c.Sent) / seconds,
            clients.Sum(c => c.Echoed) / seconds,
            clients.Sum(c => c.Delivered) / seconds,
            latency.PercentileMilliseconds(0.50),
            latency.PercentileMilliseconds(0.99),
            latency.PercentileMilliseconds(1.0),
            clients.Sum(c => c.Errors),
            clients.Count(c => c.Dropped),
            serverCores,
            generatorCores,
            otherCores);
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
