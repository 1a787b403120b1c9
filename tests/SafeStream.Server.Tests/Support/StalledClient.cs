using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SafeStream.Server.Tests.Support;

/// <summary>
/// A WebSocket client that completes the handshake and then never reads, with a tiny receive window: the server's
/// sends to it back up within a few hundred kilobytes, as with a stalled phone or a dead network path.
/// </summary>
public sealed class StalledClient : IDisposable
{
    private readonly Socket _socket;

    private StalledClient(Socket socket) => _socket = socket;

    public static async Task<StalledClient> ConnectAsync(Uri server, string username, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port, Ct);
        var request = $"GET /ws/{username}?token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), Ct);

        // Read the 101 answer byte by byte so no frame after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await socket.ReceiveAsync(one, Ct));
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return new StalledClient(socket);
    }

    /// <summary>
    /// Sends one client frame as it is, whatever its payload (text that is not UTF-8, a binary frame) and first byte
    /// (FIN, RSV bits and opcode: 0x81 is a whole text frame); masked with a zero key, which is a valid mask and leaves
    /// the payload as given. False once the server cut the connection.
    /// </summary>
    public async Task<bool> SendFrameAsync(ReadOnlyMemory<byte> payload, byte head = 0x81)
    {
        var header = new List<byte> { head };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            header.Add(0x80 | 127);
            header.AddRange(Enumerable.Range(0, 8).Select(i => (byte)((long)payload.Length >> (8 * (7 - i)))));
        }

        header.AddRange([0, 0, 0, 0]);
        try
        {
            await _socket.SendAsync(header.ToArray(), Ct);
            await _socket.SendAsync(payload, Ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads what the server managed to send until it cuts the connection (the signal that it was dropped).</summary>
    public async Task WaitUntilDroppedAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // reset by the server: dropped
        }
    }

    public void Dispose() => _socket.Dispose();
}
