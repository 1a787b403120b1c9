using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SafeStream.Storage.Database;

/// <summary>
/// The single database writer. Concurrent submissions queue up and are executed together in one transaction
/// (group commit); each completes only after that transaction committed. One writer means SQLite never answers
/// "database is locked" to ourselves, and one commit per batch is what makes it fast.
/// A caller that stops waiting (a timeout) before the writer took its submission gets it skipped; once taken, the
/// caller is told how it really ended, so nothing is stored while its caller was told it failed.
/// </summary>
internal sealed partial class DbWriter : IAsyncDisposable
{
    /// <summary>How often the writer yields its core, at most, before it starts a batch smaller than half the last.</summary>
    private const int MaxYields = 4;

    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ISqlDialect _dialect;
    private readonly int _maxBatchRecords;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<IdConflict> _reportConflict;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WriterSession? _session;
    private long _batchStarted;

    public DbWriter(ISqlDialect dialect, int maxBatchRecords, TimeProvider time, ILogger logger, Action<IdConflict> reportConflict)
    {
        _dialect = dialect;
        _reportConflict = reportConflict;
        _maxBatchRecords = maxBatchRecords;
        _time = time;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "safestream-db-writer" };
        _thread.Start();
    }

    public bool Writing => Volatile.Read(ref _batchStarted) > 0;

    /// <summary>True while the transaction in progress has run longer than <paramref name="budget"/> (a lock held by another process shows here first).</summary>
    public bool Stalled(TimeSpan budget) => Volatile.Read(ref _batchStarted) is var started and > 0 && _time.GetElapsedTime(started) > budget;

    /// <summary>
    /// Queues the writes; the task completes with their results once they are committed. An event whose id is stored
    /// with other content is not stored: it is reported (before the task completes) and answered in its <see cref="AppendResult"/>.
    /// </summary>
    public Task<WriteResults> SubmitAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        var submission = new Submission(ops);
        if (!_queue.Writer.TryWrite(submission))
        {
            throw new ObjectDisposedException(nameof(DbWriter), "The database writer has stopped.");
        }

        submission.WatchFor(cancellationToken);
        return submission.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }

    private void Run()
    {
        var batch = new List<Submission>();
        var previous = 0;
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                var records = Take(batch, 0);

                // The callers the last batch acknowledged are on their way back with their next write, through the
                // thread pool, which needs this core for a moment: give it before starting with a fraction of them.
                for (var yields = 0; yields < MaxYields && batch.Count < previous / 2 && records < _maxBatchRecords; yields++)
                {
                    Thread.Yield();
                    records = Take(batch, records);
                }

                previous = batch.Count;
                if (batch.Count > 0)
                {
                    Volatile.Write(ref _batchStarted, _time.GetTimestamp());
                    Execute(batch);
                    Volatile.Write(ref _batchStarted, 0);
                }
            }
        }
        finally
        {
            _session?.Dispose();
            _stopped.TrySetResult();
        }
    }

    /// <summary>Adds what is queued to <paramref name="batch"/> up to the record cap; answers the batch's records.</summary>
    private int Take(List<Submission> batch, int records)
    {
        while (records < _maxBatchRecords && _queue.Reader.TryRead(out var submission))
        {
            if (submission.TryStart())
            {
                batch.Add(submission);
                records += submission.Records;
            }
        }

        return records;
    }

    private void Execute(List<Submission> batch)
    {
        try
        {
            var results = Commit(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                Report(batch[i].Ops, results[i]);
                batch[i].Complete(new WriteResults(batch[i].Ops, results[i]));
            }
        }
        catch (Exception ex) when (batch.Count > 1 && DbErrors.IsConstraintViolation(ex))
        {
            // One bad submission must not fail the others it shared a transaction with: retry them alone.
            foreach (var submission in batch)
            {
                Execute([submission]);
            }
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, batch.Count, ex.Message);
            foreach (var submission in batch)
            {
                submission.Fail(ex);
            }
        }
    }

    private object?[][] Commit(List<Submission> batch)
    {
        var session = _session ??= _dialect.OpenWriter();
        try
        {
            return session.Commit(batch);
        }
        catch (Exception ex) when (!DbErrors.IsConstraintViolation(ex))
        {
            // The connection may point at a file that vanished or went read-only, or at a server that restarted:
            // start afresh next time, and make readers reopen too.
            session.Dispose();
            _session = null;
            _dialect.ResetConnections();
            throw;
        }
    }

    private void Report(IReadOnlyList<WriteOp> ops, object?[] results)
    {
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is AppendResult { Conflicts.Count: > 0 } append)
            {
                foreach (var conflict in append.Conflicts)
                {
                    _reportConflict(conflict);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database write of {Submissions} submissions failed: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int submissions, string reason);

    /// <summary>Writes queued for the writer, and how their caller is told the outcome.</summary>
    internal sealed class Submission(IReadOnlyList<WriteOp> ops)
    {
        private const int Queued = 0, Started = 1, Abandoned = 2;
        private int _state;
        private CancellationTokenRegistration _watch;

        public IReadOnlyList<WriteOp> Ops => ops;

        public TaskCompletionSource<WriteResults> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Records { get; } = Count(ops);

        /// <summary>A cancellation before the writer takes the submission abandons it; after that it has no effect.</summary>
        public void WatchFor(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _watch = cancellationToken.UnsafeRegister(static (state, token) => ((Submission)state!).Abandon(token), this);
            }
        }

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

        public void Complete(WriteResults results)
        {
            _watch.Unregister();
            Result.TrySetResult(results);
        }

        public void Fail(Exception exception)
        {
            _watch.Unregister();
            Result.TrySetException(exception);
        }

        private void Abandon(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued)
            {
                Result.TrySetCanceled(token);
            }
        }

        private static int Count(IReadOnlyList<WriteOp> ops)
        {
            var records = 0;
            for (var i = 0; i < ops.Count; i++)
            {
                records += ops[i].Records;
            }

            return records;
        }
    }
}
