using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Tests.Support;

/// <summary>Events and users with real ids and microsecond timestamps, one millisecond apart.</summary>
public sealed class TestEvents
{
    private readonly EventIdGenerator _ids;

    public TestEvents(DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        _ids = new EventIdGenerator(Time, 0);
    }

    public FakeTimeProvider Time { get; }

    public ChatMessage Chat(string user, string text, double score = 0.01, bool? toxic = null) =>
        new(Next(), user, text, toxic ?? score >= 0.6, score, toxic ?? score >= 0.6, Tick());

    public Gift Gift(string from, int amount = 1, int giftId = 1) => new(Next(), from, giftId, amount, Tick());

    public AdminAction Action(string admin, string action, string? target = null, string? details = null) =>
        new(Next(), admin, action, target, details, Tick());

    public static User User(string name, string? email = null, bool admin = false) => new()
    {
        Username = name,
        Email = email,
        PasswordHash = "$2b$12$hMn/P/dGYR7KtHijQZOv2.DQksf8jA8mtvKdCxPJ1r4q9zz3GX6Rm",
        IsAdmin = admin,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230),
        UpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230),
    };

    private long Next() => _ids.Next();

    private DateTimeOffset Tick()
    {
        Time.Advance(TimeSpan.FromMilliseconds(1) + TimeSpan.FromTicks(7));
        return Time.GetUtcNow();
    }
}
