using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SafeStream.Storage.Database;

/// <summary>
/// SQLite: WAL (readers never wait for the writer), a busy timeout for locks held by other processes, foreign keys
/// on. After the first start a connection never creates the file: a database that vanished is an outage, not a
/// silent new empty database.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    private readonly SqliteConnectionStringBuilder _builder;
    private readonly int _busyTimeoutMs;
    private readonly bool _synchronousFull;

    public SqliteDialect(string connectionString, int busyTimeoutMs, bool synchronousFull)
    {
        _builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (busyTimeoutMs + 999) / 1000),
        };
        if (string.IsNullOrWhiteSpace(_builder.DataSource) || _builder.DataSource == ":memory:" || _builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("Storage:ConnectionString must name a SQLite database file (Data Source=…).", nameof(connectionString));
        }

        _busyTimeoutMs = busyTimeoutMs;
        _synchronousFull = synchronousFull;
    }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string DataSource => _builder.DataSource;

    public Task<bool> ExistsAsync(CancellationToken cancellationToken) => Task.FromResult(File.Exists(_builder.DataSource));

    public string Describe() => Path.GetFullPath(_builder.DataSource);

    public DbConnection CreateConnection(bool create) => new SqliteConnection(ConnectionString(create));

    public SafeStreamDbContext CreateContext(bool create) =>
        new(new DbContextOptionsBuilder<SafeStreamDbContext>().UseSqlite(ConnectionString(create)).AddInterceptors(InPlaceInterceptor.Instance).Options);

    public async Task PrepareAsync(bool create, CancellationToken cancellationToken)
    {
        // Made here, 0600, before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
        if (create)
        {
            SecureFiles.CreateEmptyFile(_builder.DataSource);
        }

        await using var connection = new SqliteConnection(ConnectionString(create: true));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public WriterSession OpenWriter()
    {
        var connection = CreateConnection(create: false);
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA busy_timeout={_busyTimeoutMs}; PRAGMA synchronous={(_synchronousFull ? "FULL" : "NORMAL")};";
                command.ExecuteNonQuery();
            }

            return new WriterSession(connection, session => new RowByRowInserter(session), SqliteFileCheck.EnsureInPlace);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        SecureFiles.CreateEmptyFile(path);
        await using var source = new SqliteConnection(ConnectionString(create: false));
        await source.OpenAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await target.OpenAsync(cancellationToken);

        // SQLite's online backup copies a consistent snapshot even while the writer commits.
        source.BackupDatabase(target);
    }

    public void ResetConnections() => SqliteConnection.ClearAllPools();

    private string ConnectionString(bool create) =>
        new SqliteConnectionStringBuilder(_builder.ConnectionString)
        {
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        }.ConnectionString;

    /// <summary>Checks every connection EF takes from the pool, so reads never come from an orphaned file either.</summary>
    private sealed class InPlaceInterceptor : DbConnectionInterceptor
    {
        public static readonly InPlaceInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            Check(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Check(connection);
            return Task.CompletedTask;
        }

        private static void Check(DbConnection connection)
        {
            try
            {
                SqliteFileCheck.EnsureInPlace(connection);
            }
            catch (IOException)
            {
                SqliteConnection.ClearAllPools();
                throw;
            }
        }
    }
}
