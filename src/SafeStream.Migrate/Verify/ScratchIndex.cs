using Microsoft.Data.Sqlite;
using SafeStream.Storage;

namespace SafeStream.Migrate.Verify;

/// <summary>
/// A throw-away SQLite file on disk holding the key and content hash of every record on each side, so millions of
/// records are compared by SQL joins in bounded memory (SQLite spills its sorts to disk) instead of in dictionaries.
/// </summary>
internal sealed class ScratchIndex : IDisposable
{
    private const int RowsPerTransaction = 50_000;
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertFile;
    private readonly SqliteCommand _insertDb;
    private readonly SqliteCommand _insertPath;
    private SqliteCommand? _hasFileRecord;
    private SqliteTransaction? _transaction;
    private int _pending;

    public ScratchIndex(string folder)
    {
        // Often in /tmp, and it holds hashes of every message: the owner's alone, like the database.
        _path = Path.Combine(folder, $"safestream-verify-{Guid.NewGuid():N}.db");
        SecureFiles.CreateEmptyFile(_path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ConnectionString);
        _connection.Open();
        Execute("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;
            CREATE TABLE paths (id INTEGER PRIMARY KEY, path TEXT NOT NULL);
            CREATE TABLE files (kind INTEGER NOT NULL, key BLOB NOT NULL, content BLOB NOT NULL, path INTEGER NOT NULL, line INTEGER NOT NULL, id INTEGER);
            CREATE TABLE db (kind INTEGER NOT NULL, key BLOB NOT NULL, content BLOB NOT NULL, id INTEGER NOT NULL);
            """);
        _insertFile = Prepare("INSERT INTO files VALUES ($kind, $key, $content, $path, $line, $id)", "$kind", "$key", "$content", "$path", "$line", "$id");
        _insertDb = Prepare("INSERT INTO db VALUES ($kind, $key, $content, $id)", "$kind", "$key", "$content", "$id");
        _insertPath = Prepare("INSERT INTO paths (path) VALUES ($path) RETURNING id", "$path");
    }

    public long AddPath(string path) => (long)Run(_insertPath, true, path)!;

    /// <param name="id">The line's own id, or null for a legacy line (keyed by its source key).</param>
    public void AddFileRecord(int kind, byte[] key, byte[] content, long path, long line, long? id) =>
        Run(_insertFile, false, kind, key, content, path, line, id);

    public void AddDatabaseRecord(int kind, byte[] key, byte[] content, long id) =>
        Run(_insertDb, false, kind, key, content, id);

    /// <summary>Commits what is loaded and indexes both sides for the comparison.</summary>
    public void Seal()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
        // Covering indexes: the digests and joins then read the indexes alone, in key order.
        Execute("CREATE INDEX files_key ON files (kind, key, content); CREATE INDEX db_key ON db (kind, key, content);");
    }

    /// <summary>Whether the files hold a record with this key (after <see cref="Seal"/>).</summary>
    public bool HasFileRecord(int kind, byte[] key)
    {
        _hasFileRecord ??= Prepare("SELECT EXISTS (SELECT 1 FROM files WHERE kind = $kind AND key = $key)", "$kind", "$key");
        _hasFileRecord.Parameters[0].Value = kind;
        _hasFileRecord.Parameters[1].Value = key;
        return (long)_hasFileRecord.ExecuteScalar()! == 1;
    }

    public SqliteCommand Query(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    public long Count(string sql, int kind)
    {
        using var command = Query(sql, ("$kind", kind));
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _insertFile.Dispose();
        _insertDb.Dispose();
        _insertPath.Dispose();
        _hasFileRecord?.Dispose();
        _connection.Dispose();
        File.Delete(_path);
    }

    private object? Run(SqliteCommand command, bool scalar, params object?[] values)
    {
        if (_transaction is null)
        {
            _transaction = _connection.BeginTransaction();
            _pending = 0;
        }

        command.Transaction = _transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        var result = scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
        if (++_pending >= RowsPerTransaction)
        {
            _transaction.Commit();
            _transaction.Dispose();
            _transaction = null;
        }

        return result;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
