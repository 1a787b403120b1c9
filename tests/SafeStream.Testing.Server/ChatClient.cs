using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SafeStream.Testing;

/// <summary>A real WebSocket client of <c>/ws/{username}?token=</c> that reads frames as JSON.</summary>
public sealed class ChatClient : IAsyncDisposable
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;

    private ChatClient(ClientWebSocket socket, string username)
    {
        _socket = socket;
        Username = username;
    }

    public string Username { get; }

    public WebSocket Socket => _socket;

    public static Task<ChatClient> ConnectAsync(Uri server, string username, string? token) => ConnectToAsync(Address(server, username, token), username);

    /// <summary>Opens the socket at <paramref name="address"/> (see <see cref="Address(Uri, string, string?, string?)"/> and <see cref="AnonymousAddress"/>).</summary>
    public static async Task<ChatClient> ConnectToAsync(Uri address, string username)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(address, Ct);
        return new ChatClient(socket, username);
    }

    /// <summary>The HTTP status a refused handshake was answered with.</summary>
    public static Task<int> RefusedStatusAsync(Uri server, string username, string? token) => RefusedStatusAsync(Address(server, username, token));

    /// <summary>The HTTP status a refused handshake at <paramref name="address"/> was answered with.</summary>
    public static async Task<int> RefusedStatusAsync(Uri address)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(address, Ct));
        return (int)socket.HttpStatusCode;
    }

    public static Uri Address(Uri server, string username, string? token) => Address(server, username, token, null);

    /// <summary><c>/ws/{username}</c> with the token and, when given, more of the query (<c>since=42</c>) after it.</summary>
    public static Uri Address(Uri server, string username, string? token, string? query)
    {
        ArgumentNullException.ThrowIfNull(server);
        var parts = new[] { token is null ? null : $"token={Uri.EscapeDataString(token)}", query }.Where(p => p is not null);
        var joined = string.Join('&', parts);
        return new Uri($"ws://{server.Authority}/ws/{Uri.EscapeDataString(username)}{(joined.Length == 0 ? "" : "?" + joined)}");
    }

    /// <summary><c>/ws</c>, an anonymous viewer's socket, with <paramref name="query"/> (<c>since=42</c>) when given.</summary>
    public static Uri AnonymousAddress(Uri server, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new Uri($"ws://{server.Authority}/ws{(query is null ? "" : "?" + query)}");
    }

    public Task SendChatAsync(string message) => SendTextAsync(JsonSerializer.Serialize(new { type = "chat", message }));

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type) =>
        await _socket.SendAsync(bytes, type, endOfMessage: true, Ct);

    /// <summary>The next frame, parsed (fails the test after a generous timeout).</summary>
    public async Task<JsonElement> ReceiveAsync() => JsonDocument.Parse(await ReceiveTextAsync()).RootElement.Clone();

    /// <summary>The next frame as the server wrote it.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        var (type, text) = await ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return text;
    }

    /// <summary>Reads until the server closes, answering its close status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        while (true)
        {
            var (type, _) = await ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
            {
                return (_socket.CloseStatus, _socket.CloseStatusDescription);
            }
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, string Text)> ReceiveMessageAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(FrameTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }
}
