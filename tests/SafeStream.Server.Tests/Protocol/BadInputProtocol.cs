using System.Net.WebSockets;
using System.Text;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task EveryBadFrameGetsTheLegacyErrorFrameAndTheSocketStaysOpen()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        (byte[] Bytes, WebSocketMessageType Type, string Detail)[] frames =
        [
            ("{not json"u8.ToArray(), WebSocketMessageType.Text, "not valid JSON"),
            ("{\"message\":\"hi\"}"u8.ToArray(), WebSocketMessageType.Binary, "binary"),
            ([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d], WebSocketMessageType.Binary, "binary"),
            ("{\"message\":\"hi\",\"admin\":true}"u8.ToArray(), WebSocketMessageType.Text, "unknown field 'admin'"),
            ("{\"type\":\"gift\",\"message\":\"hi\"}"u8.ToArray(), WebSocketMessageType.Text, "type must be"),
            ("{\"type\":\"chat\"}"u8.ToArray(), WebSocketMessageType.Text, "message is required"),
            ("{\"message\":42}"u8.ToArray(), WebSocketMessageType.Text, "message must be a string"),
            ("{\"message\":\"   \"}"u8.ToArray(), WebSocketMessageType.Text, "must not be empty"),
            ("[\"hi\"]"u8.ToArray(), WebSocketMessageType.Text, "expected a JSON object"),
            ("{\"message\":\"a\",\"message\":\"b\"}"u8.ToArray(), WebSocketMessageType.Text, "twice"),
            ("{\"message\":\"\\ud800\"}"u8.ToArray(), WebSocketMessageType.Text, "lone surrogate"),
            ("{\"message\":\"a\\u0000b\"}"u8.ToArray(), WebSocketMessageType.Text, "U+0000"), // PostgreSQL text cannot hold it
            (Encoding.UTF8.GetBytes($"{{\"message\":\"{new string('x', 501)}\"}}"), WebSocketMessageType.Text, "longer than 500 characters"),
            (Encoding.UTF8.GetBytes($"{{\"message\":\"{new string('x', 20_000)}\"}}"), WebSocketMessageType.Text, "larger than 8192 bytes"),
        ];

        foreach (var (bytes, type, detail) in frames)
        {
            await alice.SendAsync(bytes, type);
            var error = await alice.ReceiveAsync();

            Assert.Equal(["error", "detail"], Names(error));
            Assert.Equal("Invalid message format", error.GetProperty("error").GetString());
            Assert.Contains(detail, error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await alice.SendChatAsync("still here");
        Assert.Equal("still here", (await alice.ReceiveAsync()).GetProperty("message").GetString());
        Assert.Single(await App.Storage.RecentMessagesAsync(new MessageQuery(), Ct));
    }

    [Fact]
    public async Task ATextFrameOfInvalidUtf8FailsTheConnectionAsRfc6455RequiresAndOthersChatOn()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        await alice.SendAsync([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d], WebSocketMessageType.Text);
        var (status, _) = await alice.ReceiveCloseAsync();
        await bob.SendChatAsync("unaffected");

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Equal("unaffected", (await bob.ReceiveAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task SqlHtmlAndUnicodeAreStoredAndDeliveredVerbatim()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        string[] messages =
        [
            "'); DROP TABLE chat_messages; --",
            "<script>alert('xss')</script><img src=x onerror=alert(1)>",
            "café ☕ \"quoted\" \\ back\nslash 😀",
            string.Concat(Enumerable.Repeat("😀", 500)), // 500 characters, 1000 UTF-16 units
        ];

        var echoed = new List<string>();
        foreach (var message in messages)
        {
            await alice.SendChatAsync(message);
            echoed.Add((await alice.ReceiveAsync()).GetProperty("message").GetString()!);
        }

        var stored = await App.Storage.RecentMessagesAsync(new MessageQuery(), Ct);

        Assert.Equal(messages, echoed);
        Assert.Equal(messages.Reverse(), stored.Select(m => m.Text));
    }

    [Fact]
    public async Task TheWebSocketHandshakeIsRefusedForBadTokensAndNames()
    {
        var alice = await App.RegisterAsync("alice");
        var bob = await App.RegisterAsync("bob");

        var noToken = await ChatClient.RefusedStatusAsync(App.BaseAddress, "alice", null);
        var garbage = await ChatClient.RefusedStatusAsync(App.BaseAddress, "alice", "garbage");
        var someoneElses = await ChatClient.RefusedStatusAsync(App.BaseAddress, "alice", bob);
        var badName = await ChatClient.RefusedStatusAsync(App.BaseAddress, "al ice!", alice);
        var caseMatters = await ChatClient.RefusedStatusAsync(App.BaseAddress, "Alice", alice);
        using var plainGet = await App.Http.GetAsync($"/ws/alice?token={alice}", Ct);

        Assert.Equal([403, 403, 403, 403, 403], [noToken, garbage, someoneElses, badName, caseMatters]);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plainGet.StatusCode);
    }
}
