using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Everything the modes share, built once from options and owned by the router: the two stores, the database's gate
/// and outage status, the journal and what spills into it, what is remembered of accounts and settings for an
/// outage, DualWrite's counters, and the replayer with the one signal that starts it early.
/// </summary>
internal sealed partial class StorageStack : IAsyncDisposable
{
    private StorageStack(JsonlStore files, DatabaseGate db, JournalSpill spill, JournalReplayer replayer, ReplaySignal replayRequests, KnownUsers users, TimeProvider time, TimeSpan appendBudget, ILogger logger)
    {
        Files = files;
        Db = db;
        Spill = spill;
        Replayer = replayer;
        ReplayRequests = replayRequests;
        Users = users;
        Time = time;
        AppendBudget = appendBudget;
        Logger = logger;
    }

    public JsonlStore Files { get; }

    public DatabaseGate Db { get; }

    public JournalSpill Spill { get; }

    public JournalReplayer Replayer { get; }

    public ReplaySignal ReplayRequests { get; }

    public KnownUsers Users { get; }

    public SeenSettings Settings { get; } = new();

    public ShadowCounters Shadow { get; } = new();

    public TimeProvider Time { get; }

    /// <summary>How long a DatabaseFirst write waits for the database before the journal takes it.</summary>
    public TimeSpan AppendBudget { get; }

    public ILogger Logger { get; }

    /// <summary>A server may create the database on a first start; a tool never does. Ids continue past every id the files hold.</summary>
    public static StorageStack Build(StorageOptions options, EventIdGenerator ids, TimeProvider time, ILoggerFactory loggers, StorageRole role)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<StorageRouter>();
        var files = new JsonlStore(options, time, loggers.CreateLogger<JsonlStore>());
        var store = DbStore.Open(options, time, loggers.CreateLogger<DbStore>(), role == StorageRole.Server ? DatabaseCreation.OnFirstStart : DatabaseCreation.Never);
        var journal = new SpillJournal(options.ResolvedJournalPath, options.Fsync, options.FsyncIntervalMs, time, loggers.CreateLogger<SpillJournal>());
        var replay = new ReplaySignal();
        var status = new OutageStatus(time, journal, replay);

        // A recovered database may be a replaced file: pooled connections go, and the journal is replayed now.
        var db = DatabaseGate.Create(store, status, options.Resilience, time, loggers.CreateLogger<DatabaseGate>(), () =>
        {
            store.ResetConnections();
            replay.Request();
        });
        ids.AdvancePast(journal.MaxEventId());
        ids.AdvancePast(LogFiles.OldestFirst(options.ResolvedLogsPath).Select(f => LegacyLogReader.MaxIdInTail(f)).DefaultIfEmpty(0).Max());
        ids.ReservationFailed += ex =>
        {
            status.Failed(ex);
            LogReservationFailed(logger, ex.Message);
        };

        var spill = new JournalSpill(journal, files.LogsPath, status, options.LegacyRetired);
        var users = new KnownUsers();
        var replayer = new JournalReplayer(db, spill, files, users, ids, options.ReplayBatchSize, TimeSpan.FromMilliseconds(options.Resilience.StartupTimeoutMs), time, loggers.CreateLogger<JournalReplayer>());
        return new StorageStack(files, db, spill, replayer, replay, users, time, TimeSpan.FromMilliseconds(options.Resilience.AppendBudgetMs), logger);
    }

    /// <summary>The four modes over this stack.</summary>
    public Dictionary<StorageMode, IStorage> Modes() => new()
    {
        [StorageMode.JsonlOnly] = Files,
        [StorageMode.DualWrite] = new DualWriteStorage(Files, Db, Users, Shadow),
        [StorageMode.DatabaseFirst] = new DatabaseFirstStorage(Files, Db, Spill, Users, Settings, Time, AppendBudget),
        [StorageMode.DatabaseOnly] = new DatabaseOnlyStorage(Db),
    };

    public async ValueTask DisposeAsync()
    {
        Replayer.Dispose();
        await Db.Store.DisposeAsync();
        Spill.Journal.Dispose();
        Files.Dispose();
        ReplayRequests.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The event id high-water mark could not be saved ({Reason}); ids stay unique while this process runs, but a restart with the clock set back could repeat some")]
    private static partial void LogReservationFailed(ILogger logger, string reason);
}
