using SafeStream.Migrate.Legacy;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Migrate.Import;

/// <summary>
/// Streams the legacy records into the database in batches. One batch is committed by the store's writer while the
/// next is parsed, which keeps both cores busy; nothing else is held, so memory stays flat whatever the input size.
/// Every insert is idempotent (unique id, unique source key), which is what makes a re-run or a resumed run safe:
/// there is no checkpoint to trust or to lose.
/// </summary>
internal sealed class EventImporter(MigrationDatabase? store, EventIdGenerator ids, int batchSize, RejectsFile rejects, IProgressSink progress, RetentionFloor? floor = null)
{
    /// <summary>Rows per transaction beside a running server on SQLite: tens of milliseconds of the write lock.</summary>
    private const int SharedBatchSize = 2_000;

    private readonly long[] _read = new long[3];
    private readonly long[] _pruned = new long[3];
    private readonly long[] _inserted = new long[3];
    private readonly long[] _nulReplaced = new long[3];
    private long _lines;
    private long _journalWrites;

    /// <summary>
    /// A server writes to the same SQLite file: transactions stay short (<see cref="SharedBatchSize"/>) and each is
    /// followed by a pause as long as it took, so the server's writes always find the lock free within their budget.
    /// </summary>
    public bool ShareWithServer { get; init; }

    public long JournalWritesLeft => _journalWrites;

    private int BatchSize => ShareWithServer ? Math.Min(batchSize, SharedBatchSize) : batchSize;

    public long Lines => _lines;

    /// <summary>Imports until the files end or <paramref name="cancellationToken"/> fires (then after the batch in flight).</summary>
    /// <returns>True when every record was read.</returns>
    public async Task<bool> RunAsync(LegacyFiles files, CancellationToken cancellationToken)
    {
        var batch = new EventBatch(BatchSize);
        Task? pending = null;
        foreach (var record in files.Records())
        {
            _lines++;
            switch (record.Kind)
            {
                case RecordKind.Event:
                    var e = record.Event;
                    _read[(int)EventBatch.KindOf(e)]++;
                    _nulReplaced[(int)EventBatch.KindOf(e)] += record.NulReplaced ? 1 : 0;
                    if (floor?.Covers(e) == true)
                    {
                        _pruned[(int)EventBatch.KindOf(e)]++; // removed by retention (the writer would refuse it too)
                        break;
                    }

                    batch.Add(e.Id == 0 && store is not null ? e with { Id = ids.Next() } : e, record.SourceKey);
                    break;
                case RecordKind.JournalWrite:
                    _journalWrites++;
                    break;
                default:
                    rejects.Write(new RejectEntry(record.Line.File, record.Line.LineNumber, record.Reason ?? "unreadable", record.Line.Raw));
                    break;
            }

            if (batch.Count >= BatchSize)
            {
                await CompleteAsync(pending);
                pending = CommitAsync(batch, files);
                batch = new EventBatch(BatchSize);
                if (cancellationToken.IsCancellationRequested)
                {
                    await CompleteAsync(pending);
                    return false;
                }
            }
        }

        await CompleteAsync(pending);
        await CommitAsync(batch, files);
        return true;
    }

    public IReadOnlyList<KindCounts> Counts() =>
    [
        Count("chat", 0),
        Count("gifts", 1),
        Count("admin_actions", 2),
    ];

    private KindCounts Count(string kind, int k) =>
        new(kind, _read[k], _inserted[k], store is null ? 0 : _read[k] - _inserted[k] - _pruned[k], _nulReplaced[k], _pruned[k]);

    private static async Task CompleteAsync(Task? pending)
    {
        if (pending is not null)
        {
            await pending;
        }
    }

    private async Task CommitAsync(EventBatch batch, LegacyFiles files)
    {
        var bytes = files.BytesRead;
        var lines = _lines;
        if (store is not null && batch.Count > 0)
        {
            var appends = batch.ToOps();

            // Not cancellable: a commit either happens or not, and a half-awaited one would be counted wrong.
            var started = TimeProvider.System.GetTimestamp();
            var results = await store.ExecuteAsync([.. appends.Select(a => a.Op)], CancellationToken.None);
            if (ShareWithServer)
            {
                await Task.Delay(TimeProvider.System.GetElapsedTime(started), CancellationToken.None); // the lock is the server's meanwhile
            }

            foreach (var (kind, op) in appends)
            {
                _inserted[(int)kind] += results.Of(op).Inserted;
            }
        }

        progress.Report(new ProgressUpdate(lines, _inserted.Sum(), bytes));
    }
}
