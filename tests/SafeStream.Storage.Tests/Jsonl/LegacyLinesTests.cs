using System.Text;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Tests.Jsonl;

public sealed class LegacyLinesTests
{
    [Fact]
    public void TheOldKeyAliasesAndMissingFieldsAreReadAsTheLegacyDashboardDid()
    {
        var message = Parse("""{"from":"dan","msg":"hi","timestamp":"2025-06-27 20:52:00"}""");

        Assert.Equal(new ChatMessage(0, "dan", "hi", false, 0.0, false, new DateTimeOffset(2025, 6, 27, 20, 52, 0, TimeSpan.Zero)), message);
    }

    [Fact]
    public void UnknownKeysOffsetsAndStringNumbersAreAccepted()
    {
        var gift = Parse("""{"type":"gift","from":"eve","gift_id":"2","amount":3,"ts":"2025-06-27T22:52:00.25+02:00","room":"main"}""");

        Assert.Equal(new Gift(0, "eve", 2, 3, new DateTimeOffset(2025, 6, 27, 20, 52, 0, 250, TimeSpan.Zero)), gift);
    }

    [Fact]
    public void OurIdBlockedFlagAndDetailsRoundTrip()
    {
        var ts = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10);
        StorageEvent[] events =
        [
            new ChatMessage(42, "bob", "nope", true, 0.97, true, ts),
            new Gift(43, "José", 1, 1, ts),
            new AdminAction(44, "alice", "mute", "bob", "minutes=5", ts),
            new AdminAction(45, "alice", "reset_metrics", null, null, ts),
        ];

        var lines = events.Select(LegacyLines.Format).ToList();

        Assert.Equal(events, lines.Select(l => LegacyLines.Parse(Encoding.UTF8.GetBytes(l)).Event));
        Assert.Equal("""{"type":"chat","user":"bob","message":"nope","toxic":true,"score":0.97,"ts":"2026-01-01T00:00:00.000001Z","id":42,"blocked":true}""", lines[0]);
        Assert.Equal("""{"type": "gift", "from": "Jos\u00e9", "gift_id": 1, "amount": 1, "ts": "2026-01-01T00:00:00.000001Z", "id": 43}""", lines[1]);
    }

    [Theory]
    [InlineData("this line is not json", "")]
    [InlineData("[1,2,3]", "")]
    [InlineData("null", "null")]
    [InlineData("""{"type":"chat","user":"a","message":"b"}""", "no ts")]
    [InlineData("""{"type":"chat","message":"b","ts":"2025-06-27T20:52:00Z"}""", "needs user and message")]
    [InlineData("""{"type":"gift","from":"a","gift_id":1,"amount":0,"ts":"2025-06-27T20:52:00Z"}""", "amount")]
    [InlineData("""{"type":"gift","from":"a","gift_id":-1,"amount":2,"ts":"2025-06-27T20:52:00Z"}""", "gift_id")]
    [InlineData("""{"type":"chat","user":"a","message":"b","ts":"yesterday"}""", "not a timestamp")]
    [InlineData("""{"type":"chat","user":"a","message":"b","ts":"2025-06-27T20:52:00Z","id":9007199254740992}""", "below 2^53")]
    [InlineData("""{"type":"poll","ts":"2025-06-27T20:52:00Z"}""", "unknown type")]
    [InlineData("""{"type":"chat","user":"a","message":"b","toxic":"yes","ts":"2025-06-27T20:52:00Z"}""", "")]
    public void ABadLineIsAReasonNeverAnException(string line, string reason)
    {
        var parsed = LegacyLines.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Null(parsed.Event);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsAReason()
    {
        byte[] line = [.. "{\"type\":\"chat\",\"user\":\"a\",\"message\":\""u8, 0xC3, 0x28, .. "\",\"ts\":\"2025-06-27T20:52:00Z\"}"u8];

        var parsed = LegacyLines.Parse(line);

        Assert.Null(parsed.Event);
        Assert.NotNull(parsed.Error);
    }

    private static StorageEvent? Parse(string line) => LegacyLines.Parse(Encoding.UTF8.GetBytes(line)).Event;
}
