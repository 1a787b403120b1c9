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
    private readonly long[] _read = new long[3];
    private readonly long[] _pruned = new long[3];
    private readonly long[] _inserted = new long[3];
    private long _lines;
    private long _journalWrites;

    public long JournalWritesLeft => _journalWrites;

    public long Lines => _lines;

    /// <summary>Imports until the files end or <paramref name="cancellationToken"/> fires (then after the batch in flight).</summary>
    /// <returns>True when every record was read.</returns>
    public async Task<bool> RunAsync(LegacyFiles files, CancellationToken cancellationToken)
    {
        var batch = new EventBatch(batchSize);
        Task? pending = null;
        foreach (var record in files.Records())
        {
            _lines++;
            switch (record.Kind)
            {
                case RecordKind.Event:
                    var e = record.Event;
                    _read[(int)EventBatch.KindOf(e)]++;
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

            if (batch.Count >= batchSize)
            {
                await CompleteAsync(pending);
                pending = CommitAsync(batch, files);
                batch = new EventBatch(batchSize);
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
        new(kind, _read[k], _inserted[k], store is null ? 0 : _read[k] - _inserted[k] - _pruned[k], _pruned[k]);

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
            var results = await store.ExecuteAsync([.. appends.Select(a => a.Op)], CancellationToken.None);
            foreach (var (kind, op) in appends)
            {
                _inserted[(int)kind] += results.Of(op).Inserted;
            }
        }

        progress.Report(new ProgressUpdate(lines, _inserted.Sum(), bytes));
    }
}
