using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// Viewers chatting while the operator works: each account sends numbered messages at a steady pace on its own
/// socket and keeps what the server acknowledged (its own message coming back with an id). A socket that drops
/// while the load runs is recorded; <see cref="PauseAsync"/> closes them on purpose around a documented restart.
/// </summary>
public sealed class ChatLoad(IReadOnlyList<(string User, string Token)> accounts) : IAsyncDisposable
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<string, long> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _drops = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly Lock _progressLock = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];
    private CancellationTokenSource? _running;
    private Task[] _loops = [];
    private int _round;
    private bool _databaseOnly;

    /// <summary>Every message acknowledged so far: its text and the id the server gave it.</summary>
    public IReadOnlyDictionary<string, long> Acked => _acked;

    /// <summary>Sockets that closed or failed while the load ran, with why.</summary>
    public IReadOnlyCollection<string> Drops => _drops;

    /// <summary>Error frames the senders got (a refused message is not acknowledged, and not a drop).</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>
    /// True while the server runs <c>DatabaseOnly</c>, where a database too slow for the gate's timeout (an import beside
    /// the chat on a loaded machine) answers "Storage unavailable" by design: the sender is told, nothing is
    /// acknowledged, so such a frame is counted in <see cref="Refused"/>, not as an error.
    /// </summary>
    public bool DatabaseOnly
    {
        get => Volatile.Read(ref _databaseOnly);
        set => Volatile.Write(ref _databaseOnly, value);
    }

    /// <summary>"Storage unavailable" answers while <see cref="DatabaseOnly"/> was set.</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    public void Start(Uri server)
    {
        _running = new CancellationTokenSource();
        var round = ++_round;
        _loops = [.. accounts.Select(a => Task.Run(() => ChatAsync(server, a.User, a.Token, round, _running.Token)))];
    }

    /// <summary>Stops sending, waits for the message in flight, and closes every socket.</summary>
    public async Task PauseAsync()
    {
        await (_running?.CancelAsync() ?? Task.CompletedTask);
        await Task.WhenAll(_loops);
        _running?.Dispose();
        _running = null;
    }

    /// <summary>Returns once <paramref name="more"/> further messages were acknowledged (fails after 60 s).</summary>
    public async Task AcknowledgedAsync(int more)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_progressLock)
        {
            _waiters.Add((_acked.Count + more, done));
        }

        Progressed();
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the chat load did not get {more} more acknowledgements in 60 s (drops: {string.Join("; ", _drops)}; errors: {string.Join("; ", _errors.Take(5))})");
        }
    }

    public async ValueTask DisposeAsync() => await PauseAsync();

    private async Task ChatAsync(Uri server, string user, string token, int round, CancellationToken stop)
    {
        ChatClient? socket = null;
        try
        {
            socket = await ChatClient.ConnectAsync(server, user, token);
            using var pace = new PeriodicTimer(Pace);
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var text = $"walk {user} r{round} #{n}";
                await socket.SendChatAsync(text);
                if (await EchoAsync(socket, text) is { } id)
                {
                    _acked[text] = id;
                    Progressed();
                }

                try
                {
                    await pace.WaitForNextTickAsync(stop);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await socket.CloseAsync();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or HttpRequestException or OperationCanceledException or Xunit.Sdk.XunitException)
        {
            _drops.Enqueue($"{user} (round {round}): {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>Reads until the sender's own message comes back (its id) or an error frame answers it (null).</summary>
    private async Task<long?> EchoAsync(ChatClient socket, string text)
    {
        while (true)
        {
            var frame = await socket.ReceiveAsync();
            if (frame.TryGetProperty("error", out var error))
            {
                (DatabaseOnly && error.GetString() == "Storage unavailable" ? _refused : _errors).Enqueue($"{socket.Username}: {error.GetString()} {frame}");
                return null;
            }

            if (frame.TryGetProperty("type", out var type) && type.GetString() == "chat"
                && frame.GetProperty("user").GetString() == socket.Username && frame.GetProperty("message").GetString() == text)
            {
                return frame.GetProperty("id").GetInt64();
            }

            if (frame.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"unexpected frame {frame}");
            }
        }
    }

    private void Progressed()
    {
        lock (_progressLock)
        {
            var count = _acked.Count;
            _waiters.RemoveAll(w => w.Count <= count && w.Done.TrySetResult() is var _);
        }
    }
}
