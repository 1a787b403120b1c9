using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// Moves journalled writes into the database, exactly once: a batch is read from the checkpoint, committed, and
/// only then is the checkpoint advanced. A crash in between replays the batch again, which ids and stamped,
/// per-field changes make harmless: an event stored already is not stored again, and a change older than the
/// stored one is not applied. Also prepares the database side on first contact (schema, usernames, id seed).
/// Only the process that owns the journal replays it.
/// </summary>
public sealed partial class JournalReplayer : IDisposable
{
    private readonly RouterContext _c;
    private readonly EventIdGenerator _ids;
    private readonly int _batchSize;
    private readonly TimeSpan _startupTimeout;
    private readonly Action _afterReplay;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly SemaphoreSlim _warming = new(1, 1);
    private long _lastReplayTicks;
    private long _lastReplayCount;
    private volatile bool _warm;

    internal JournalReplayer(RouterContext context, EventIdGenerator ids, int batchSize, TimeSpan startupTimeout, Action afterReplay)
    {
        _startupTimeout = startupTimeout;
        _c = context;
        _ids = ids;
        _batchSize = batchSize;
        _afterReplay = afterReplay;
    }

    /// <summary>Raised after each replayed batch with the records it moved.</summary>
    public event Action<int>? BatchReplayed;

    public DateTimeOffset? LastReplayAt => Interlocked.Read(ref _lastReplayTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public long LastReplayCount => Interlocked.Read(ref _lastReplayCount);

    /// <summary>Whether the database side was prepared (schema, usernames, id seed).</summary>
    public bool Warm => _warm;

    /// <summary>Replays until the journal is empty or the database fails again; answers the records moved.</summary>
    public async Task<long> ReplayAsync(CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken);
        long moved = 0;
        try
        {
            await WarmUpAsync(cancellationToken);
            await RefreshNamesAsync(cancellationToken);
            if (!_c.JournalRetired)
            {
                _c.Journal.Claim(); // the server's since its start; another owner is an outage of the replay, logged
                moved = await ReplayOwnedAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            _c.Failed(ex);
        }
        finally
        {
            _running.Release();
        }

        _afterReplay();
        return moved;
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
        limit.CancelAfter(_startupTimeout);
        try
        {
            if (_warm)
            {
                return; // warmed by the caller we waited for
            }

            await _c.Db.EnsureReadyAsync(limit.Token);
            _ids.AdvancePast(await _c.Db.MaxEventIdAsync(limit.Token));
            var (names, throughId) = await _c.Db.UsernamesAfterAsync(0, limit.Token);
            _c.Users.LoadNames(names, throughId);
            if (_c.Journal.IsOwned)
            {
                _c.Journal.MarkStarted(); // from now on a missing database is noticed, not made anew
            }

            _warm = true;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The database did not get ready within {_startupTimeout.TotalSeconds:0.#} s (Storage:Resilience:StartupTimeoutMs).", ex);
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

    private async Task<long> ReplayOwnedAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var appendsBefore = _c.Journal.AppendCount;
        var generation = _c.Users.Generation;

        // Parsing the next batch overlaps the commit of this one; the checkpoint still moves only after a commit.
        var batch = _c.Journal.MayHaveBacklog && _c.Journal.Backlog > 0 ? _c.Journal.Read(_batchSize) : null; // most rounds find nothing to do
        while (batch is { Records: > 0 })
        {
            var current = batch;
            var commit = _c.Gate.RunAsync(ct => _c.Db.ExecuteAsync(current.Ops, ct), cancellationToken);
            var next = Task.Run(() => _c.Journal.Read(_batchSize, current.Next), cancellationToken);
            object?[] results;
            try
            {
                results = await commit;
            }
            finally
            {
                await next.ContinueWith(static _ => { }, TaskScheduler.Default); // never leave a read running behind
            }

            await ReconcileAsync(current.Ops, results, cancellationToken);
            _c.Journal.Complete(current);
            moved += current.Records;
            Interlocked.Exchange(ref _lastReplayTicks, _c.Time.GetUtcNow().UtcTicks);
            Interlocked.Exchange(ref _lastReplayCount, current.Records);
            BatchReplayed?.Invoke(current.Records);
            batch = await next;
        }

        var backlog = _c.Journal.Backlog;
        if (backlog == 0)
        {
            _c.Journal.SeenEmpty(appendsBefore);
            _c.Users.Replayed(generation);
        }

        if (moved > 0)
        {
            LogReplayed(_c.Logger, moved, backlog);
        }

        return moved;
    }

    /// <summary>Learns the names registered since the last look, by this process or any other, for checks during an outage.</summary>
    private async Task RefreshNamesAsync(CancellationToken cancellationToken)
    {
        var (names, throughId) = await _c.Gate.RunAsync(ct => _c.Db.UsernamesAfterAsync(_c.Users.NamesThroughId, ct), cancellationToken);
        _c.Users.LoadNames(names, throughId);
    }

    /// <summary>Settles what the database could not take as journalled: names taken meanwhile, legacy users not moved yet.</summary>
    private async Task ReconcileAsync(IReadOnlyList<WriteOp> ops, object?[] results, CancellationToken cancellationToken)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            switch (ops[i])
            {
                case CreateUser create when results[i] is false:
                    var owner = await _c.Gate.RunAsync(ct => _c.Db.FindUserAsync(create.User.Username, ct), cancellationToken);
                    if (owner is not null && owner.PasswordHash != create.User.PasswordHash)
                    {
                        LogConflict(_c.Logger, create.User.Username);
                    }

                    break;
                case PatchUser patch when results[i] is null:
                    // A legacy user changed during the outage: users.json holds the account; move it in with the change.
                    if (await _c.Files.FindUserAsync(patch.Username, cancellationToken) is { } legacy)
                    {
                        await _c.Gate.RunAsync(ct => _c.Db.ExecuteAsync([new CreateUser(legacy), patch], ct), cancellationToken);
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
