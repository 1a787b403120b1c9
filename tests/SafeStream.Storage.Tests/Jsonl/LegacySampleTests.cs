using System.Text;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Tests.Jsonl;

public sealed class LegacySampleTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _legacy;

    public LegacySampleTests() => _legacy = _dir.CopyLegacySample();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheSampleHoldsFourUsersWithCarolDisabledAndTheLegacyPasswordsVerify()
    {
        var users = UsersFile.Load(Path.Combine(_legacy, "users.json"));

        Assert.Equal(["José", "alice", "bob", "carol"], users.Keys.Order(StringComparer.Ordinal));
        Assert.False(users["carol"].IsActive);
        Assert.True(users["alice"].IsActive);
        Assert.Null(users["bob"].Email);
        Assert.Equal("jose@example.com", users["José"].Email);
        Assert.True(BCrypt.Net.BCrypt.Verify("secret123", users["alice"].PasswordHash));
        Assert.True(BCrypt.Net.BCrypt.Verify("hunter22", users["bob"].PasswordHash));
        Assert.True(BCrypt.Net.BCrypt.Verify("password1", users["carol"].PasswordHash));
        Assert.False(BCrypt.Net.BCrypt.Verify("wrong", users["alice"].PasswordHash));
    }

    [Fact]
    public void TheSampleLogsHoldEightMessagesThreeGiftsThreeActionsAndTwoReportedBadLines()
    {
        var lines = LegacyLogReader.ReadDirectory(Path.Combine(_legacy, "logs")).ToList();

        var events = lines.Select(l => l.Event).OfType<StorageEvent>().ToList();
        Assert.Equal(8, events.OfType<ChatMessage>().Count());
        Assert.Equal(3, events.OfType<Gift>().Count());
        Assert.Equal(3, events.OfType<AdminAction>().Count());
        var skipped = lines.Where(l => l.Event is null).ToList();
        Assert.Collection(
            skipped,
            malformed =>
            {
                Assert.EndsWith("chat_2025-06-27.jsonl", malformed.File, StringComparison.Ordinal);
                Assert.Equal(4, malformed.LineNumber);
                Assert.Equal("this line is not json", malformed.Raw);
            },
            truncated =>
            {
                Assert.EndsWith("chat_2025-06-28.jsonl", truncated.File, StringComparison.Ordinal);
                Assert.Equal(3, truncated.LineNumber);
                Assert.StartsWith("truncated last line", truncated.Error, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void LogsAreReadOldestFirstWithBothByteStylesExponentScoresAndBothTimestampForms()
    {
        var events = LegacyLogReader.Events(Path.Combine(_legacy, "logs")).ToList();

        var first = Assert.IsType<ChatMessage>(events[0]);
        Assert.Equal(("alice", "hello everyone", 0.0), (first.User, first.Text, first.Score));
        Assert.Equal(new DateTimeOffset(2025, 6, 27, 20, 51, 3, TimeSpan.Zero).AddTicks(4821300), first.Ts);
        var josé = events.OfType<Gift>().Single(g => g.GiftId == 0);
        Assert.Equal(("José", 1), (josé.From, josé.Amount));
        Assert.Equal(new DateTimeOffset(2025, 6, 27, 20, 54, 0, TimeSpan.Zero), josé.Ts);
        Assert.Equal(1.2e-06, events.OfType<ChatMessage>().Single(m => m.Text.StartsWith("back again", StringComparison.Ordinal)).Score);
        Assert.Contains(events.OfType<ChatMessage>(), m => m.Text == "café ☕ anyone?");
        Assert.Contains(events.OfType<ChatMessage>(), m => m.Text == "quote \" and backslash \\ and <script>alert(1)</script>");
        var reset = events.OfType<AdminAction>().Single(a => a.Action == "reset_metrics");
        Assert.Null(reset.Target);
        Assert.Equal(new DateTimeOffset(2025, 6, 27, 21, 3, 0, 500, TimeSpan.Zero), events.OfType<ChatMessage>().Single(m => m.Text.StartsWith("quote", StringComparison.Ordinal)).Ts);
        Assert.Equal(2, events.OfType<ChatMessage>().Count(m => m.Text == "hello everyone" && m.Ts.Second == 2));
    }

    [Fact]
    public void EveryCanonicalSampleLineIsWrittenBackByteForByte()
    {
        var canonical = 0;
        foreach (var file in LogFiles.OldestFirst(Path.Combine(_legacy, "logs")))
        {
            foreach (var raw in File.ReadAllText(file, Encoding.UTF8).Split('\n'))
            {
                var parsed = LegacyLines.Parse(Encoding.UTF8.GetBytes(raw));
                if (parsed.Event is null || raw.Contains(".5Z", StringComparison.Ordinal))
                {
                    continue; // bad lines, and the one-digit fraction the legacy writer never produced itself
                }

                Assert.Equal(raw, LegacyLines.Format(parsed.Event));
                canonical++;
            }
        }

        Assert.Equal(13, canonical);
    }

    [Fact]
    public void UsersJsonIsWrittenBackByteForByte()
    {
        var path = Path.Combine(_legacy, "users.json");
        var original = File.ReadAllBytes(path);

        UsersFile.Save(path, UsersFile.Load(path).Values);

        Assert.Equal(original, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task AStoreOverTheSampleAnswersFromItsLogs()
    {
        var options = new StorageOptions { LegacyPath = _legacy };
        using var store = new JsonlStore(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<JsonlStore>.Instance);

        var counts = await store.CountAsync(null, cancellationToken: Ct);
        var recent = await store.RecentMessagesAsync(new MessageQuery { Limit = 3 }, Ct);

        Assert.Equal(new StorageCounts(8, 1, 3, 14, counts.TopGifters), counts);
        Assert.Equal(["donor", "alice", "José"], counts.TopGifters.Select(g => g.User));
        Assert.Equal(["next day", "quote \" and backslash \\ and <script>alert(1)</script>", "back again 😀"], recent.Select(m => m.Text));
    }
}
