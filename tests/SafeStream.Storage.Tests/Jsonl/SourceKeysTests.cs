using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Tests.Jsonl;

public sealed class SourceKeysTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IdenticalLinesGetDistinctKeysAndARereadGetsTheSameKeys()
    {
        var logs = Path.Combine(_dir.CopyLegacySample(), "logs");

        var first = Keys(logs);
        var second = Keys(logs);

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.Equal(16, first.Count);
    }

    [Fact]
    public void KeysSurviveRotationBecauseTheyDoNotDependOnFileNames()
    {
        var logs = Path.Combine(_dir.CopyLegacySample(), "logs");
        var before = Keys(logs).ToHashSet();

        // The legacy writer rotates: .2 -> .3, .1 -> .2, live -> .1, then starts a new live file.
        File.Move(Path.Combine(logs, "chat_2025-06-27.jsonl.2"), Path.Combine(logs, "chat_2025-06-27.jsonl.3"));
        File.Move(Path.Combine(logs, "chat_2025-06-27.jsonl.1"), Path.Combine(logs, "chat_2025-06-27.jsonl.2"));
        File.Move(Path.Combine(logs, "chat_2025-06-27.jsonl"), Path.Combine(logs, "chat_2025-06-27.jsonl.1"));
        File.WriteAllText(Path.Combine(logs, "chat_2025-06-27.jsonl"), "{\"type\":\"chat\",\"user\":\"bob\",\"message\":\"new\",\"toxic\":false,\"score\":0.0,\"ts\":\"2025-06-27T23:00:00Z\"}\n");
        var after = Keys(logs);

        Assert.Single(after, k => !before.Contains(k));
        Assert.Equal(before.Count + 1, after.Count);
    }

    [Fact]
    public void IdenticalLinesFartherApartThanTheWindowShareAKey()
    {
        var keys = new SourceKeys(window: 2);
        var a = new byte[32];
        var b = new byte[32];
        b[0] = 1;
        var c = new byte[32];
        c[0] = 2;

        var first = keys.Next(a);
        var adjacent = keys.Next(a);
        keys.Next(b);
        keys.Next(c);
        var far = keys.Next(a);

        Assert.NotEqual(first, adjacent);
        Assert.Equal(first, far);
    }

    [Fact]
    public void LaterRecordsGetKeysThatSortAfterEarlierOnesSoTheIndexGrowsAtItsEnd()
    {
        var keys = new SourceKeys();
        var early = new DateTimeOffset(2025, 6, 27, 12, 0, 0, TimeSpan.Zero);
        var hashes = Enumerable.Range(0, 50).Select(i => System.Security.Cryptography.SHA256.HashData([(byte)i])).ToList();

        var inOrder = hashes.Select((h, i) => keys.Next(h, early.AddMilliseconds(i))).ToList();

        Assert.Equal(inOrder, inOrder.Order(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))));
        Assert.Equal(SourceKeys.Length, inOrder[0].Length);
    }

    private static List<string> Keys(string logs)
    {
        var keys = new SourceKeys();
        return [.. LegacyLogReader.ReadDirectory(logs, hashes: true).Select(l => Convert.ToHexString(keys.Next(l.Hash, l.Event?.Ts)))];
    }
}
