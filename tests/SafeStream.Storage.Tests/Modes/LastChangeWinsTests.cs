using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>
/// A change journalled during an outage and replayed later never undoes a change made after it, whatever order the
/// replay runs in, while it still applies to what the later change left alone.
/// </summary>
public sealed class LastChangeWinsTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StorageOptions _options;
    private StorageRouter _router = null!;

    public LastChangeWinsTests() => _options = Stores.Options(_dir);

    public static TheoryData<string> Fields => ["muted_until", "tokens_valid_after", "is_admin", "is_active"];

    public async ValueTask InitializeAsync()
    {
        _router = Stores.Router(_options, _time);
        await _router.Replayer.WarmUpAsync(Ct);
        await _router.CreateUserAsync(TestEvents.User("vic"), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _router.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task AChangeJournalledDuringAnOutageDoesNotUndoALaterOneMadeBeforeTheReplay(string field)
    {
        await OutageAsync(() => _router.UpdateUserAsync("vic", Older(field), Ct));
        _time.Advance(TimeSpan.FromSeconds(1));

        var later = await _router.UpdateUserAsync("vic", Newer(field), Ct); // straight to the database, the journal still waits
        await ReplayAsync();

        Assert.Equal(Value(later!, field), Value((await _router.FindUserAsync("vic", Ct))!, field));
        Assert.Equal(Value(later!, field), Value((await StoredAsync())!, field));
    }

    [Fact]
    public async Task AnOlderChangeStillTakesTheFieldsTheLaterOneLeftAlone()
    {
        var mute = Older("muted_until");
        await OutageAsync(() => _router.UpdateUserAsync("vic", mute, Ct));
        _time.Advance(TimeSpan.FromSeconds(1));

        await _router.UpdateUserAsync("vic", new UserPatch { IsAdmin = true }, Ct);
        await ReplayAsync();
        var stored = await StoredAsync();

        Assert.Equal(Micros.Truncate(mute.MutedUntil!.Value), stored!.MutedUntil);
        Assert.True(stored!.IsAdmin);
    }

    [Fact]
    public async Task AChangeAnotherProcessMadeInTheDatabaseWinsOverAnOlderJournalledOne()
    {
        await OutageAsync(() => _router.UpdateUserAsync("vic", new UserPatch { IsAdmin = true }, Ct));
        _time.Advance(TimeSpan.FromSeconds(1));

        // revoke-admin from another process, straight into the database, before this one replays.
        await using (var other = Stores.Database(_options, _time))
        {
            await other.UpdateUserAsync("vic", new UserPatch { IsAdmin = false }, Ct);
        }

        await ReplayAsync();

        Assert.False((await StoredAsync())!.IsAdmin);
    }

    [Theory]
    [InlineData(SettingKeys.ToxicityThreshold)]
    [InlineData(SettingKeys.MetricsResetAt)]
    public async Task ASettingJournalledDuringAnOutageDoesNotUndoALaterOne(string key)
    {
        await OutageAsync(() => _router.SetSettingAsync(key, "older", Ct));
        _time.Advance(TimeSpan.FromSeconds(1));

        await _router.SetSettingAsync(key, "newer", Ct);
        await ReplayAsync();

        Assert.Equal("newer", await _router.GetSettingAsync(key, Ct));
        await using var database = Stores.Database(_options, _time);
        Assert.Equal("newer", await database.GetSettingAsync(key, Ct));
    }

    [Fact]
    public async Task ReplayingTheSameJournalAgainAfterACrashStillKeepsTheLaterChange()
    {
        await OutageAsync(() => _router.UpdateUserAsync("vic", Older("muted_until"), Ct));
        var journal = Directory.GetFiles(_options.ResolvedJournalPath, "journal-*.jsonl").Single();
        var copy = await File.ReadAllBytesAsync(journal, Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var later = await _router.UpdateUserAsync("vic", Newer("muted_until"), Ct);
        await ReplayAsync();

        // The same journal once more, as after a crash between the commit and the checkpoint.
        _router.Journal.Dispose();
        await File.WriteAllBytesAsync(Path.Combine(_options.ResolvedJournalPath, "journal-99999999.jsonl"), copy, Ct);
        await using var restarted = Stores.Router(_options, _time);
        await restarted.ReplayAsync(Ct);

        Assert.Equal(later!.MutedUntil, (await StoredAsync())!.MutedUntil);
    }

    private static UserPatch Older(string field) => field switch
    {
        "muted_until" => new UserPatch { MutedUntil = DateTimeOffset.UtcNow.AddMinutes(60) },
        "tokens_valid_after" => new UserPatch { TokensValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1) },
        "is_admin" => new UserPatch { IsAdmin = true },
        _ => new UserPatch { IsActive = false },
    };

    private static UserPatch Newer(string field) => field switch
    {
        "muted_until" => new UserPatch { MutedUntil = DateTimeOffset.UtcNow },
        "tokens_valid_after" => new UserPatch { TokensValidAfter = DateTimeOffset.UtcNow.AddMinutes(1) },
        "is_admin" => new UserPatch { IsAdmin = false },
        _ => new UserPatch { IsActive = true },
    };

    private static object? Value(User user, string field) => field switch
    {
        "muted_until" => user.MutedUntil,
        "tokens_valid_after" => user.TokensValidAfter,
        "is_admin" => user.IsAdmin,
        _ => user.IsActive,
    };

    /// <summary>Runs <paramref name="change"/> while the database file is away, so it is journalled; then brings it back.</summary>
    private async Task OutageAsync(Func<Task> change)
    {
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        await change();
        File.Move(path + ".away", path);
        Assert.Equal(1, _router.Current.JournalBacklog);
        _time.Advance(TimeSpan.FromSeconds(2)); // the breaker's break passes
    }

    private async Task ReplayAsync()
    {
        await _router.ReplayAsync(Ct);
        Assert.Equal(0, _router.Current.JournalBacklog);
    }

    private async Task<User?> StoredAsync()
    {
        await using var database = Stores.Database(_options, _time);
        return await database.FindUserAsync("vic", Ct);
    }
}
