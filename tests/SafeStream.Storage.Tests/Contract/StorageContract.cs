using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IStorage"/> must do, whatever it stores into. One thin subclass per store and per mode
/// of the router runs all of it, which is what lets the server ignore the mode.
/// </summary>
public abstract class StorageContract : IAsyncLifetime
{
    protected TempFolder Dir { get; } = new();

    protected TestEvents Events { get; } = new();

    protected IStorage Storage { get; private set; } = null!;

    /// <summary>False for stores that append what they are given (the files): they cannot see a repeated id.</summary>
    protected virtual bool DeduplicatesIds => true;

    public async ValueTask InitializeAsync() => Storage = await CreateAsync();

    public async ValueTask DisposeAsync()
    {
        switch (Storage)
        {
            case IAsyncDisposable a: await a.DisposeAsync(); break;
            case IDisposable d: d.Dispose(); break;
        }

        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorage> CreateAsync();

    /// <summary>
    /// The contract is about what is stored and read back, not about timeouts (the outage suites have their own): on a
    /// busy machine a call may take longer than the tests' usual 2 s gate timeout, and in <c>DatabaseFirst</c> a commit
    /// slower than the 100 ms append budget is journalled and acknowledged, so the read right after it would come from a
    /// database that has not committed it yet. Here the gate waits as long as a test may.
    /// </summary>
    protected static StorageOptions Patient(StorageOptions options)
    {
        options.Resilience.TimeoutMs = 30_000;
        options.Resilience.AppendBudgetMs = options.Resilience.TimeoutMs;
        options.Resilience.BusyTimeoutMs = 10_000;
        return options;
    }

    [Fact]
    public async Task ARegisteredUserIsFoundWithEveryField()
    {
        var user = TestEvents.User("alice", "alice@example.com") with { IsAdmin = true };

        var result = await Storage.CreateUserAsync(user, Ct);
        var found = await Storage.FindUserAsync("alice", Ct);

        Assert.Equal(CreateUserResult.Created, result);
        Assert.Equal(user, found);
    }

    [Fact]
    public async Task ATakenUsernameIsAnAnswerAndTheFirstOwnerKeepsIt()
    {
        await Storage.CreateUserAsync(TestEvents.User("bob", "first@example.com"), Ct);

        var second = await Storage.CreateUserAsync(TestEvents.User("bob", "second@example.com") with { PasswordHash = "$2b$12$other" }, Ct);
        var found = await Storage.FindUserAsync("bob", Ct);

        Assert.Equal(CreateUserResult.UsernameTaken, second);
        Assert.Equal("first@example.com", found?.Email);
    }

    [Fact]
    public async Task UsernamesAreCaseSensitiveAndUnknownNamesAreNull()
    {
        await Storage.CreateUserAsync(TestEvents.User("Carol"), Ct);

        Assert.Null(await Storage.FindUserAsync("carol", Ct));
        Assert.Null(await Storage.FindUserAsync("nobody", Ct));
        Assert.Equal(CreateUserResult.Created, await Storage.CreateUserAsync(TestEvents.User("carol"), Ct));
    }

    [Fact]
    public async Task APatchChangesOnlyItsFieldsAndLookupsSeeIt()
    {
        var user = TestEvents.User("dave", "dave@example.com");
        await Storage.CreateUserAsync(user, Ct);
        var mutedUntil = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(12340);
        var kickedAt = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var patched = await Storage.UpdateUserAsync("dave", new UserPatch { MutedUntil = mutedUntil, TokensValidAfter = kickedAt }, Ct);
        var promoted = await Storage.UpdateUserAsync("dave", new UserPatch { IsAdmin = true }, Ct);
        var found = await Storage.FindUserAsync("dave", Ct);

        Assert.Equal((mutedUntil, kickedAt, false), (patched?.MutedUntil, patched?.TokensValidAfter, patched?.IsAdmin));
        Assert.Equal(user with { MutedUntil = mutedUntil, TokensValidAfter = kickedAt, IsAdmin = true, UpdatedAt = promoted!.UpdatedAt }, promoted);
        Assert.Equal(promoted, found);
        Assert.True(promoted.UpdatedAt > user.UpdatedAt);
    }

    [Fact]
    public async Task PatchingAnUnknownUserAnswersNullAndCreatesNobody()
    {
        var result = await Storage.UpdateUserAsync("ghost", new UserPatch { IsAdmin = true }, Ct);

        Assert.Null(result);
        Assert.Null(await Storage.FindUserAsync("ghost", Ct));
    }

    [Fact]
    public async Task EventsComeBackNewestFirstWithTheirIdsAndFields()
    {
        var hello = Events.Chat("alice", "hello");
        var gift = Events.Gift("bob", amount: 5, giftId: 3);
        var kick = Events.Action("admin", "kick", "bob", "spam");
        var reset = Events.Action("admin", "reset_metrics");
        var toxic = Events.Chat("bob", "you are awful", score: 0.93);

        await Storage.AppendAsync([hello, gift, kick], Ct);
        await Storage.AppendAsync([reset, toxic], Ct);

        Assert.Equal([toxic, hello], await Storage.RecentMessagesAsync(new MessageQuery(), Ct));
        Assert.Equal([gift], await Storage.RecentGiftsAsync(10, Ct));
        Assert.Equal([reset, kick], await Storage.RecentAdminActionsAsync(10, Ct));
    }

    [Fact]
    public async Task AppendingAnIdAgainStoresNothingNew()
    {
        Assert.SkipUnless(DeduplicatesIds, "this store appends what it is given");
        var message = Events.Chat("alice", "once");
        await Storage.AppendAsync([message], Ct);

        await Storage.AppendAsync([message, message], Ct);

        Assert.Equal([message], await Storage.RecentMessagesAsync(new MessageQuery(), Ct));
        Assert.Equal(1, (await Storage.CountAsync(null, cancellationToken: Ct)).Messages);
    }

    [Fact]
    public async Task MessageQueriesFilterByToxicityUserSubstringTimeAndLimit()
    {
        var a = Events.Chat("Alice", "one");
        var b = Events.Chat("bob", "two", score: 0.9);
        var c = Events.Chat("malice_x", "three", score: 0.7);
        var d = Events.Chat("bob", "four");
        await Storage.AppendAsync([a, b, c, d], Ct);

        Assert.Equal([c, b], await Storage.RecentMessagesAsync(new MessageQuery { ToxicOnly = true }, Ct));
        Assert.Equal([c, a], await Storage.RecentMessagesAsync(new MessageQuery { UserContains = "ALIC" }, Ct));
        Assert.Equal([c], await Storage.RecentMessagesAsync(new MessageQuery { UserContains = "e_" }, Ct));
        Assert.Equal([c, b], await Storage.RecentMessagesAsync(new MessageQuery { Since = b.Ts, Until = d.Ts }, Ct));
        Assert.Equal([d, c], await Storage.RecentMessagesAsync(new MessageQuery { Limit = 2 }, Ct));
    }

    [Fact]
    public async Task MessagesAfterAnIdAreTheNewestByIdAndCanLeaveOutBlockedOnes()
    {
        var a = Events.Chat("alice", "one");
        var b = Events.Chat("bob", "two", score: 0.9); // blocked
        var c = Events.Chat("carol", "three");
        var d = Events.Chat("dave", "four");
        var e = Events.Chat("erin", "five") with { Ts = a.Ts }; // the highest id, the earliest time (another instance's clock)
        await Storage.AppendAsync([a, b, c, d, e], Ct);

        Assert.Equal([e, d, c], await Storage.RecentMessagesAsync(new MessageQuery { AfterId = a.Id, ExcludeBlocked = true }, Ct));
        Assert.Equal([e, d, c, b], await Storage.RecentMessagesAsync(new MessageQuery { AfterId = a.Id }, Ct));
        Assert.Equal([e, d], await Storage.RecentMessagesAsync(new MessageQuery { AfterId = a.Id, Limit = 2 }, Ct)); // by time it would be d, c
        Assert.Equal([e], await Storage.RecentMessagesAsync(new MessageQuery { AfterId = d.Id }, Ct));
        Assert.Empty(await Storage.RecentMessagesAsync(new MessageQuery { AfterId = e.Id }, Ct));
    }

    [Fact]
    public async Task CountsCoverEverythingOrWhatCameSinceAnInstant()
    {
        await Storage.AppendAsync([Events.Chat("a", "x"), Events.Chat("b", "y", score: 0.8), Events.Gift("carol", 5), Events.Gift("dan", 2)], Ct);
        var reset = Events.Action("admin", "reset_metrics");
        await Storage.AppendAsync([reset, Events.Chat("a", "z", score: 0.99), Events.Gift("dan", 7), Events.Gift("erin", 1)], Ct);

        var all = await Storage.CountAsync(null, cancellationToken: Ct);
        var since = await Storage.CountAsync(reset.Ts, topGifters: 1, Ct);

        Assert.Equal((3L, 2L, 4L, 15L), (all.Messages, all.ToxicMessages, all.Gifts, all.GiftAmount));
        Assert.Equal([new GifterTotal("dan", 9, 2), new GifterTotal("carol", 5, 1), new GifterTotal("erin", 1, 1)], all.TopGifters);
        Assert.Equal(new StorageCounts(1, 1, 2, 8, since.TopGifters), since);
        Assert.Equal([new GifterTotal("dan", 7, 1)], since.TopGifters);
    }

    [Fact]
    public async Task SettingsAreNullUntilSetAndKeepTheLatestValue()
    {
        Assert.Null(await Storage.GetSettingAsync(SettingKeys.ToxicityThreshold, Ct));

        await Storage.SetSettingAsync(SettingKeys.ToxicityThreshold, "0.7", Ct);
        await Storage.SetSettingAsync(SettingKeys.ToxicityThreshold, "0.65", Ct);
        await Storage.SetSettingAsync(SettingKeys.MetricsResetAt, "2026-11-23T12:00:00Z", Ct);

        Assert.Equal("0.65", await Storage.GetSettingAsync(SettingKeys.ToxicityThreshold, Ct));
        Assert.Equal("2026-11-23T12:00:00Z", await Storage.GetSettingAsync(SettingKeys.MetricsResetAt, Ct));
    }

    [Fact]
    public async Task AwkwardTextComesBackExactly()
    {
        var texts = new[]
        {
            "quote \" backslash \\ slash / tab \t newline \n return \r",
            "<script>alert('x')</script> & '; DROP TABLE chat_messages; --",
            "café ☕ 😀 \u2028 日本語 \u0001",
            new string('x', 500),
        };
        var events = texts.Select(t => Events.Chat("José", t)).ToList();

        await Storage.AppendAsync(events, Ct);

        Assert.Equal(events.AsEnumerable().Reverse(), await Storage.RecentMessagesAsync(new MessageQuery(), Ct));
    }

    [Fact]
    public async Task AThousandEventsInOneAppendAreAllStored()
    {
        var events = Enumerable.Range(0, 1000).Select(i => (StorageEvent)Events.Chat($"user{i % 7}", $"message {i}")).ToList();

        await Storage.AppendAsync(events, Ct);

        Assert.Equal(1000, (await Storage.CountAsync(null, cancellationToken: Ct)).Messages);
        Assert.Equal(events[^1], (await Storage.RecentMessagesAsync(new MessageQuery { Limit = 1 }, Ct)).Single());
    }
}
