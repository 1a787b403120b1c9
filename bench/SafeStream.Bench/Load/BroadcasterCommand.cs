namespace SafeStream.Bench.Load;

/// <summary>
/// Runs the bare broadcaster until stopped, so <c>load</c> can start it as a child process of its own, like the real
/// server. Options: --port N (default 8001).
/// </summary>
internal sealed class BroadcasterCommand : IBenchmark
{
    public string Name => "broadcaster";

    public string Description => "(used by load) the bare WebSocket broadcaster, on --port until stopped";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var port = BenchArgs.Int(args, "--port", 8001);
        Console.WriteLine($"bare broadcaster on http://127.0.0.1:{port}");
        try
        {
            await BareBroadcaster.RunAsync(port, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM from the load benchmark: a normal stop.
        }
    }
}
