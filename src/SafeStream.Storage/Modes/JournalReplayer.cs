using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Moves journalled writes into the database, exactly once: a batch is read from the checkpoint, committed, and
/// only then is the checkpoint advanced. A crash in between replays the batch again, which ids and stamped,
/// per-field changes make harmless: an event stored already is not stored again, and a change older than the
/// stored one is not applied. Also prepares the database side on first contact (schema, usernames, id seed).
/// Only the process that owns the journal replays it.
/// </summary>
internal sealed partial class JournalReplayer(
    DatabaseGate db,
    JournalSpill spill,
    JsonlStore files,
    KnownUsers users,
    EventIdGenerator ids,
    int batchSize,
    TimeSpan startupTimeout,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly SemaphoreSlim _warming = new(1, 1);
    private long _lastReplayTicks;
    private long _lastReplayCount;
    private long _replayedTotal;
    private volatile bool _warm;

    /// <summary>Raised after each replayed batch with the records it moved.</summary>
    public event Action<int>? BatchReplayed;

    public DateTimeOffset? LastReplayAt => Interlocked.Read(ref _lastReplayTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public long LastReplayCount => Interlocked.Read(ref _lastReplayCount);

    /// <summary>Records replayed since this process started.</summary>
    public long ReplayedTotal => Interlocked.Read(ref _replayedTotal);

    /// <summary>Whether the database side was prepared (schema, usernames, id seed).</summary>
    public bool Warm => _warm;

    private SpillJournal Journal => spill.Journal;

    /// <summary>Replays until the journal is empty or the database fails again; answers the records moved.</summary>
    public async Task<long> ReplayAsync(CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            await WarmUpAsync(cancellationToken);
            await RefreshNamesAsync(cancellationToken);
            if (!spill.Retired)
            {
                Journal.Claim(); // the server's since its start; another owner is an outage of the replay, logged
                return await ReplayOwnedAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            db.Status.Failed(ex);
        }
        finally
        {
            _running.Release();
        }

        return 0;
    }

    /// <summary>
    /// Creates or migrates the schema, loads the usernames and seeds the id generator, once the database answers.
    /// This first contact pays the cold start (JIT, the EF model, maybe a migration), so it is held to the startup
    /// timeout rather than the per-call one; a failure is an outage like any other and the next round retries.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        if (_warm)
        {
            return;
        }

        await _warming.WaitAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(startupTimeout);
        try
        {
            if (!_warm)
            {
                await PrepareDatabaseAsync(limit.Token);
                _warm = true;
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The database did not get ready within {startupTimeout.TotalSeconds:0.#} s (Storage:Resilience:StartupTimeoutMs).", ex);
        }
        finally
        {
            _warming.Release();
        }
    }

    public void Dispose()
    {
        _running.Dispose();
        _warming.Dispose();
    }

    private async Task PrepareDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = db.Store;
        await database.EnsureReadyAsync(cancellationToken);
        ids.AdvancePast(await database.MaxEventIdAsync(cancellationToken));
        var (names, throughId) = await database.UsernamesAfterAsync(0, cancellationToken);
        users.LoadNames(names, throughId);
        if (Journal.IsOwned)
        {
            Journal.MarkStarted(); // from now on a missing database is noticed, not made anew
        }
    }

    private async Task<long> ReplayOwnedAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var appendsBefore = Journal.AppendCount;
        var generation = users.Generation;

        // Parsing the next batch overlaps the commit of this one; the checkpoint still moves only after a commit.
        var batch = Journal.MayHaveBacklog && Journal.Backlog > 0 ? Journal.Read(batchSize) : null; // most rounds find nothing to do
        while (batch is { Records: > 0 })
        {
            var current = batch;
            var commit = db.StartAsync((store, ct) => store.ExecuteAsync(current.Ops, ct), cancellationToken);
            var next = Task.Run(() => Journal.Read(batchSize, current.Next), cancellationToken);
            WriteResults results;
            try
            {
                results = await commit;
            }
            finally
            {
                await next.ContinueWith(static _ => { }, TaskScheduler.Default); // never leave a read running behind
            }

            await ReconcileAsync(current.Ops, results, cancellationToken);
            Journal.Complete(current);
            moved += current.Records;
            Replayed(current.Records);
            batch = await next;
        }

        var backlog = Journal.Backlog;
        if (backlog == 0)
        {
            Journal.SeenEmpty(appendsBefore);
            users.Replayed(generation);
        }

        if (moved > 0)
        {
            LogReplayed(logger, moved, backlog);
        }

        return moved;
    }

    private void Replayed(int records)
    {
        Interlocked.Exchange(ref _lastReplayTicks, time.GetUtcNow().UtcTicks);
        Interlocked.Exchange(ref _lastReplayCount, records);
        Interlocked.Add(ref _replayedTotal, records);
        BatchReplayed?.Invoke(records);
    }

    /// <summary>Learns the names registered since the last look, by this process or any other, for checks during an outage.</summary>
    private async Task RefreshNamesAsync(CancellationToken cancellationToken)
    {
        var (names, throughId) = await db.StartAsync((store, ct) => store.UsernamesAfterAsync(users.NamesThroughId, ct), cancellationToken);
        users.LoadNames(names, throughId);
    }

    /// <summary>Settles what the database could not take as journalled: names taken meanwhile, legacy users not moved yet.</summary>
    private async Task ReconcileAsync(IReadOnlyList<WriteOp> ops, WriteResults results, CancellationToken cancellationToken)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case CreateUser create when !results.Of(create):
                    var owner = await db.StartAsync((store, ct) => store.FindUserAsync(create.User.Username, ct), cancellationToken);
                    if (owner is not null && owner.PasswordHash != create.User.PasswordHash)
                    {
                        LogConflict(logger, create.User.Username);
                    }

                    break;
                case PatchUser patch when results.Of(patch) is null:
                    // A legacy user changed during the outage: users.json holds the account; move it in with the change.
                    if (await files.FindUserAsync(patch.Username, cancellationToken) is { } legacy)
                    {
                        await db.StartAsync((store, ct) => store.ExecuteAsync([new CreateUser(legacy), patch], ct), cancellationToken);
                    }

                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Records} journalled records into the database; {Backlog} remain")]
    private static partial void LogReplayed(ILogger logger, long records, long backlog);

    [LoggerMessage(Level = LogLevel.Error, Message = "Username '{Username}' was registered during an outage but the database already has another account by that name; the database account stands and the other is only in users.json")]
    private static partial void LogConflict(ILogger logger, string username);
}
