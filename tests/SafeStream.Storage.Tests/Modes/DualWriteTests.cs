using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

public sealed class DualWriteTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AFailedDatabaseWriteIsCountedAndTheFileWriteStands()
    {
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        await using var router = Stores.Router(options);
        await router.AppendAsync([_events.Chat("alice", "both")], Ct);
        Stores.DeleteDatabase(options);
        var message = _events.Chat("alice", "files only");

        await router.AppendAsync([message], Ct);

        Assert.Contains(message, LegacyLogReader.Events(options.ResolvedLogsPath));
        Assert.Equal(1, router.Current.DualWriteErrors);
        Assert.Equal(0, router.Current.JournalBacklog);
    }

    [Fact]
    public async Task ShadowReadsCountWhereTheDatabaseDisagreesWithTheFiles()
    {
        _dir.CopyLegacySample();
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        await using var router = Stores.Router(options);
        var compared = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Shadow.Compared += matched => compared.TrySetResult(matched);

        var fromFiles = await router.RecentMessagesAsync(new MessageQuery(), Ct);
        var matched = await compared.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(8, fromFiles.Count);
        Assert.False(matched);
        Assert.Equal((1L, 1L), (router.Current.ShadowReads, router.Current.ShadowMismatches));
    }

    [Fact]
    public async Task ShadowReadsMatchOnceBothStoresHoldTheSameRecords()
    {
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        await using var router = Stores.Router(options);
        await router.Replayer.WarmUpAsync(Ct); // as the service does before it serves: the first write is not a cold start
        await router.AppendAsync([_events.Chat("alice", "one"), _events.Gift("bob", 3)], Ct);
        Assert.Equal(0, router.Current.DualWriteErrors);
        var compared = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Shadow.Compared += matched => compared.TrySetResult(matched);

        await router.CountAsync(null, cancellationToken: Ct);

        Assert.True(await compared.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(0, router.Current.ShadowMismatches);
    }

    [Fact]
    public async Task AShadowReadThatAWriteOverlapsIsNotCountedAsAMismatch()
    {
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        await using var router = Stores.Router(options);
        await router.Replayer.WarmUpAsync(Ct);
        await router.AppendAsync([_events.Chat("alice", "one")], Ct);
        var skipped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        router.Shadow.Skipped += () => skipped.TrySetResult();
        router.Shadow.Compared += matched => skipped.TrySetException(new InvalidOperationException($"compared (matched: {matched})"));

        // A message lands after the files answered and before the database does: the two reads saw different moments.
        router.Shadow.Reading += () => router.AppendAsync([_events.Chat("bob", "in between")], Ct).GetAwaiter().GetResult();
        var fromFiles = await router.RecentMessagesAsync(new MessageQuery(), Ct);
        await skipped.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Single(fromFiles);
        Assert.Equal((0L, 0L), (router.Current.ShadowReads, router.Current.ShadowMismatches));
    }

    [Fact]
    public async Task ANameOnlyTheDatabaseHoldsCannotBeRegisteredAgainWhileTheDatabaseIsUnreachable()
    {
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        await using (var database = Stores.Database(options))
        {
            await database.CreateUserAsync(TestEvents.User("owner"), Ct); // registered while the database was first
        }

        await using var router = Stores.Router(options);
        await router.Replayer.WarmUpAsync(Ct);
        var path = Stores.DatabasePath(options);
        File.Move(path, path + ".away");

        var squatter = await router.CreateUserAsync(TestEvents.User("owner") with { PasswordHash = "$2b$12$squatter" }, Ct);
        var newcomer = await router.CreateUserAsync(TestEvents.User("newcomer"), Ct);

        Assert.Equal(CreateUserResult.UsernameTaken, squatter);
        Assert.Equal(CreateUserResult.Created, newcomer);
        Assert.Null(await Stores.Files(options).FindUserAsync("owner", Ct));
    }

    [Fact]
    public async Task ARegistrationWaitsWhenTheDatabaseWasNeverReachedBecauseItsNamesAreUnknown()
    {
        var options = Stores.Options(_dir, StorageMode.DualWrite);
        options.ConnectionString = $"Data Source={_dir["missing/nested/db.sqlite"]}";
        File.WriteAllText(_dir["missing"], "a file where the database folder should be");
        await using var router = Stores.Router(options);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => router.CreateUserAsync(TestEvents.User("gina"), Ct));

        Assert.Contains("usernames are not known", error.Message, StringComparison.Ordinal);
        Assert.Null(await Stores.Files(options).FindUserAsync("gina", Ct));
    }
}
