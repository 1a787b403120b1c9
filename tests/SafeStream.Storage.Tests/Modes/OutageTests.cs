using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>Real faults on a real SQLite file while DatabaseFirst keeps acknowledging writes.</summary>
public sealed class OutageTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly TestEvents _events = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StorageOptions _options;
    private StorageRouter _router = null!;

    public OutageTests() => _options = Stores.Options(_dir);

    public async ValueTask InitializeAsync()
    {
        _router = Stores.Router(_options, _time);
        await _router.Replayer.WarmUpAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _router.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task MessagesSpilledWhileTheFileWasGoneReachTheDatabaseExactlyOnceWhenItReturns()
    {
        var before = await AppendAsync(40);
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");

        var during = await AppendAsync(60);
        var status = _router.Current;
        File.Move(path + ".away", path);
        await RecoverAsync();

        Assert.Equal(60, status.JournalBacklog);
        Assert.Equal("Open", status.Breaker);
        Assert.Equal((100L, 100L, 0L), DatabaseProbe.ChatIds(_options, before.Concat(during)));
        Assert.Equal(0, _router.Current.JournalBacklog);
    }

    [Fact]
    public async Task MessagesSpilledWhileAnotherConnectionHeldTheLockReachTheDatabaseExactlyOnce()
    {
        var before = await AppendAsync(10);
        var locker = new SqliteConnection($"Data Source={Stores.DatabasePath(_options)};Pooling=False");
        locker.Open();
        using (var begin = locker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO settings (key, value) VALUES ('lock', 'held');";
            begin.ExecuteNonQuery();
        }

        var during = await AppendAsync(30);
        var backlog = _router.Current.JournalBacklog;
        locker.Dispose(); // rolls back and releases the lock
        await RecoverAsync();

        Assert.Equal(30, backlog);
        Assert.Equal((40L, 40L, 0L), DatabaseProbe.ChatIds(_options, before.Concat(during)));
    }

    [Fact]
    public async Task MessagesSpilledWhileTheFileWasReadOnlyReachTheDatabaseExactlyOnce()
    {
        var path = Stores.DatabasePath(_options);
        var before = await AppendAsync(10);
        Assert.SkipUnless(Chattr("+i", path, path + "-wal"), "chattr +i is not available here (needs root and an ext-like file system)");
        List<long> during;
        try
        {
            during = await AppendAsync(30);
        }
        finally
        {
            Chattr("-i", path, path + "-wal");
        }

        var backlog = _router.Current.JournalBacklog;
        await RecoverAsync();

        Assert.Equal(30, backlog);
        Assert.Equal((40L, 40L, 0L), DatabaseProbe.ChatIds(_options, before.Concat(during)));
    }

    [Fact]
    public async Task ACrashBetweenCommitAndCheckpointReplaysTheBatchWithoutDuplicates()
    {
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        var spilled = await AppendAsync(3000, batch: 100);
        File.Move(path + ".away", path);
        var checkpoint = Path.Combine(_options.ResolvedJournalPath, "checkpoint.json");
        var batches = 0;
        _router.Replayer.BatchReplayed += _ =>
        {
            if (++batches == 1)
            {
                // The next checkpoint write fails as if the process died right after the second commit.
                File.Copy(checkpoint, checkpoint + ".saved");
                File.Delete(checkpoint);
                Directory.CreateDirectory(Path.Combine(checkpoint, "in-the-way"));
            }
        };

        _time.Advance(TimeSpan.FromSeconds(2));
        await _router.ReplayAsync(Ct);
        var afterCrash = DatabaseProbe.ChatIds(_options, spilled);
        Directory.Delete(checkpoint, recursive: true);
        File.Move(checkpoint + ".saved", checkpoint);
        _router.Journal.Dispose(); // the crash ends the process, and with it its hold on the journal folder
        var restarted = Stores.Router(_options, _time); // the crashed router is abandoned, not disposed
        await restarted.ReplayAsync(Ct);

        Assert.Equal((2000L, 2000L, 1000L), afterCrash);
        Assert.Equal((3000L, 3000L, 0L), DatabaseProbe.ChatIds(_options, spilled));
        Assert.Equal(0, restarted.Current.JournalBacklog);
        await restarted.DisposeAsync();
    }

    [Fact]
    public async Task TheJournalBacklogSurvivesARestart()
    {
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        var spilled = await AppendAsync(25);
        await _router.DisposeAsync();
        File.Move(path + ".away", path);

        _router = Stores.Router(_options, _time);
        var backlog = _router.Current.JournalBacklog;
        await _router.ReplayAsync(Ct);

        Assert.Equal(25, backlog);
        Assert.Equal((25L, 25L, 0L), DatabaseProbe.ChatIds(_options, spilled));
    }

    [Fact]
    public async Task ReadsDuringTheOutageComeFromTheFilesAndSaySo()
    {
        await AppendAsync(5);
        Stores.DeleteDatabase(_options);
        var spilled = _events.Chat("carol", "still here");
        await _router.AppendAsync([spilled], Ct);

        var recent = await _router.RecentMessagesAsync(new MessageQuery(), Ct);

        Assert.Equal([spilled], recent);
        Assert.True(_router.Current.ReadingFromFiles);
        Assert.NotNull(_router.Current.LastError);
    }

    [Fact]
    public async Task ARegistrationDuringTheOutageReachesTheDatabaseAndLogsInMeanwhile()
    {
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        var erin = TestEvents.User("erin", "erin@example.com");

        var result = await _router.CreateUserAsync(erin, Ct);
        var duringOutage = await _router.FindUserAsync("erin", Ct);
        File.Move(path + ".away", path);
        await RecoverAsync();

        Assert.Equal(CreateUserResult.Created, result);
        Assert.Equal(erin, duringOutage);
        Assert.Equal(1, DatabaseProbe.Scalar(_options, "SELECT COUNT(*) FROM users WHERE username = 'erin' AND email = 'erin@example.com'"));
    }

    [Fact]
    public async Task ANameTheDatabaseOwnsCannotBeRegisteredAgainDuringTheOutage()
    {
        await _router.CreateUserAsync(TestEvents.User("frank"), Ct);
        Stores.DeleteDatabase(_options);

        var result = await _router.CreateUserAsync(TestEvents.User("frank") with { PasswordHash = "$2b$12$squatter" }, Ct);

        Assert.Equal(CreateUserResult.UsernameTaken, result);
    }

    [Fact]
    public async Task RegistrationIsRefusedWhenTheDatabaseWasNeverReachedBecauseNamesCannotBeChecked()
    {
        var options = Stores.Options(_dir);
        options.ConnectionString = $"Data Source={_dir["missing/nested/db.sqlite"]}";
        File.WriteAllText(_dir["missing"], "a file where the database folder should be");
        await using var router = Stores.Router(options, _time);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => router.CreateUserAsync(TestEvents.User("gina"), Ct));

        Assert.Contains("usernames are not known", error.Message, StringComparison.Ordinal);
        Assert.Null(await router.FindUserAsync("gina", Ct));
    }

    [Fact]
    public async Task AMuteDuringTheOutageHoldsMeanwhileAndReachesTheDatabase()
    {
        await _router.CreateUserAsync(TestEvents.User("hal"), Ct);
        await _router.FindUserAsync("hal", Ct);
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        var until = DateTimeOffset.UtcNow.AddMinutes(5);

        var muted = await _router.UpdateUserAsync("hal", new UserPatch { MutedUntil = until }, Ct);
        var seen = await _router.FindUserAsync("hal", Ct);
        File.Move(path + ".away", path);
        await RecoverAsync();

        Assert.Equal(Micros.Truncate(until), muted?.MutedUntil);
        Assert.Equal(muted, seen);
        Assert.Equal(Micros.ToUnix(until), DatabaseProbe.Scalar(_options, "SELECT muted_until FROM users WHERE username = 'hal'"));
    }

    [Fact]
    public async Task DatabaseOnlyReportsTheOutageAndJournalsNothing()
    {
        var options = Stores.Options(_dir, StorageMode.DatabaseOnly);
        await using var router = Stores.Router(options, _time);
        await router.AppendAsync([_events.Chat("ok", "before")], Ct);
        Stores.DeleteDatabase(options);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => router.AppendAsync([_events.Chat("lost?", "no: refused")], Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => router.FindUserAsync("anyone", Ct));

        Assert.Equal(0, router.Current.JournalBacklog);
        Assert.Empty(SafeStream.Storage.Journal.JournalFiles.Segments(options.ResolvedJournalPath));
    }

    [Fact]
    public async Task AKickOfAnAccountKnownOnlyByNameIsJournalledDuringTheOutageAndReachesTheDatabase()
    {
        await _router.CreateUserAsync(TestEvents.User("kim"), Ct);
        await _router.DisposeAsync();
        _router = Stores.Router(_options, _time); // a restart: kim's name is known, her account was never read
        await _router.Replayer.WarmUpAsync(Ct);
        var path = Stores.DatabasePath(_options);
        File.Move(path, path + ".away");
        var kickedAt = Micros.Truncate(_time.GetUtcNow());

        var kicked = await _router.UpdateUserAsync("kim", new UserPatch { TokensValidAfter = kickedAt }, Ct);
        var unknown = await _router.UpdateUserAsync("nobody", new UserPatch { TokensValidAfter = kickedAt }, Ct);
        File.Move(path + ".away", path);
        await RecoverAsync();

        Assert.Equal(kickedAt, kicked?.TokensValidAfter);
        Assert.Null(unknown);
        Assert.Equal(kickedAt, (await _router.FindUserAsync("kim", Ct))?.TokensValidAfter);
        Assert.Equal(Micros.ToUnix(kickedAt), DatabaseProbe.Scalar(_options, "SELECT tokens_valid_after FROM users WHERE username = 'kim'"));
    }

    [Fact]
    public async Task AnAppendTheDatabaseHasNotCommittedWithinTheBudgetIsJournalledAndAcknowledgedAndStoredOnce()
    {
        // SQLite would wait 10 s for the lock: only the budget can acknowledge the append sooner.
        await RestartAsync(new DatabaseResilienceOptions { TimeoutMs = 20_000, BusyTimeoutMs = 10_000, BreakSeconds = 1, MinimumThroughput = 2 });
        using var locker = LockDatabase();
        var message = _events.Chat("ann", "while another process holds the lock");
        var append = _router.AppendAsync([message], Ct);
        await WriterBusyAsync(_router);

        _time.Advance(TimeSpan.FromMilliseconds(101)); // past the 100 ms budget
        await append.WaitAsync(TimeSpan.FromSeconds(3), Ct); // acknowledged while the lock is still held
        var backlog = _router.Current.JournalBacklog;
        locker.Dispose();
        await RecoverAsync();

        Assert.Equal(1, backlog);
        Assert.Equal((1L, 1L, 0L), DatabaseProbe.ChatIds(_options, [message.Id]));
    }

    [Fact]
    public async Task InDatabaseOnlyAWriteTheWriterHadStartedWhenItsCallerTimedOutIsAnsweredAsItEnded()
    {
        await RestartAsync(new DatabaseResilienceOptions { TimeoutMs = 6000, BusyTimeoutMs = 5000, MinimumThroughput = 2 }, StorageMode.DatabaseOnly);
        var locker = LockDatabase();
        var message = _events.Chat("ann", "taken by the writer, then its caller gave up");
        var append = _router.AppendAsync([message], Ct);
        await WriterBusyAsync(_router);

        _time.Advance(TimeSpan.FromMilliseconds(6001)); // the caller's timeout fires while the writer waits for the lock
        locker.Dispose();
        var outcome = await Record.ExceptionAsync(() => append.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        var stored = DatabaseProbe.ChatIds(_options, [message.Id]).Missing == 0;

        Assert.True(outcome is null == stored, $"the caller was told {(outcome is null ? "stored" : outcome.GetType().Name)} while the message is {(stored ? "" : "not ")}stored");
        Assert.True(stored); // the writer had taken it, so it committed once the lock was gone, and its caller was told so
    }

    private async Task RestartAsync(DatabaseResilienceOptions resilience, StorageMode mode = StorageMode.DatabaseFirst)
    {
        var options = Stores.Options(_dir, mode);
        options.Resilience = resilience;
        await _router.DisposeAsync();
        _router = Stores.Router(options, _time);
        await _router.Replayer.WarmUpAsync(Ct);
    }

    private SqliteConnection LockDatabase()
    {
        var locker = new SqliteConnection($"Data Source={Stores.DatabasePath(_options)};Pooling=False");
        locker.Open();
        using var begin = locker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO settings (key, value) VALUES ('lock', 'held');";
        begin.ExecuteNonQuery();
        return locker;
    }

    /// <summary>Waits until the database writer is inside a transaction (blocked on the lock).</summary>
    private static async Task WriterBusyAsync(StorageRouter router)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!router.Db.Writing)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the writer never started the write");
            await Task.Yield();
        }
    }

    private async Task<List<long>> AppendAsync(int count, int batch = 1)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i += batch)
        {
            var events = Enumerable.Range(i, Math.Min(batch, count - i)).Select(n => (StorageEvent)_events.Chat($"user{n % 5}", $"message {n}")).ToList();
            await _router.AppendAsync(events, Ct);
            ids.AddRange(events.Select(e => e.Id));
        }

        return ids;
    }

    /// <summary>Lets the breaker's break pass (fake time), then replays as the background service would.</summary>
    private async Task RecoverAsync()
    {
        _time.Advance(TimeSpan.FromSeconds(2));
        await _router.ReplayAsync(Ct);
        Assert.Equal(0, _router.Current.JournalBacklog);
    }

    private static bool Chattr(string flag, params string[] paths)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start("chattr", [flag, .. paths.Where(File.Exists)]);
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
