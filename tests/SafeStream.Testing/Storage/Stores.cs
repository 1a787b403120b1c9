using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Modes;

namespace SafeStream.Testing;

/// <summary>Real stores on real files in a test's folder.</summary>
internal static class Stores
{
    public static StorageOptions Options(TempFolder dir, StorageMode mode = StorageMode.DatabaseFirst) => new()
    {
        Mode = mode,
        ConnectionString = $"Data Source={dir["db/safestream.db"]}",
        LegacyPath = dir["legacy"],
        Resilience = new DatabaseResilienceOptions { TimeoutMs = 2000, BusyTimeoutMs = 200, BreakSeconds = 1, MinimumThroughput = 2 },
        ReplayBatchSize = 1000,
    };

    public static JsonlStore Files(StorageOptions options, TimeProvider? time = null) =>
        new(options, time ?? TimeProvider.System, NullLogger<JsonlStore>.Instance);

    public static DbStore Database(StorageOptions options, TimeProvider? time = null) =>
        DbStore.Open(options, time ?? TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.OnFirstStart);

    /// <summary>The database store on the SQLite file at <paramref name="path"/>, otherwise as configured by default, to play the running server.</summary>
    public static DbStore Database(string path) => Database(new StorageOptions { ConnectionString = $"Data Source={path}" });

    public static StorageRouter Router(StorageOptions options, TimeProvider? time = null, EventIdGenerator? ids = null) =>
        StorageRouter.Create(options, ids ?? new EventIdGenerator(time ?? TimeProvider.System, options.InstanceId ?? 0), time ?? TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>The database file and its WAL vanish; pooled connections to the old file are dropped.</summary>
    public static void DeleteDatabase(StorageOptions options)
    {
        var path = DatabasePath(options);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        SqliteConnection.ClearAllPools();
    }

    public static string DatabasePath(StorageOptions options) => new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
}
