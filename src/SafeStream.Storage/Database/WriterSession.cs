using System.Data;
using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// The writer's open connection, its transaction and its prepared statements, rebuilt after any failure. Each op
/// runs through <see cref="IWriteExecutor"/>, so what it answers is typed by the op.
/// </summary>
internal sealed class WriterSession : IWriteExecutor, IDisposable
{
    private readonly DbCommand _chat;
    private readonly DbCommand _gift;
    private readonly DbCommand _admin;
    private readonly DbCommand _user;
    private readonly DbCommand _patch;
    private readonly DbCommand _setting;
    private readonly StoredEvents _stored;
    private DbTransaction? _transaction;

    private WriterSession(DbConnection connection)
    {
        Connection = connection;
        _chat = Command(SqlStatements.InsertChat, ("id", DbType.Int64), ("source_key", DbType.Binary), ("username", DbType.String), ("message", DbType.String), ("toxic", DbType.Boolean), ("score", DbType.Double), ("blocked", DbType.Boolean), ("ts", DbType.Int64));
        _gift = Command(SqlStatements.InsertGift, ("id", DbType.Int64), ("source_key", DbType.Binary), ("from_user", DbType.String), ("gift_id", DbType.Int32), ("amount", DbType.Int32), ("ts", DbType.Int64));
        _admin = Command(SqlStatements.InsertAdmin, ("id", DbType.Int64), ("source_key", DbType.Binary), ("admin_user", DbType.String), ("action", DbType.String), ("target_user", DbType.String), ("details", DbType.String), ("ts", DbType.Int64));
        _user = Command(SqlStatements.InsertUser, ("username", DbType.String), ("email", DbType.String), ("password_hash", DbType.String), ("is_active", DbType.Boolean), ("is_admin", DbType.Boolean), ("created_at", DbType.Int64), ("updated_at", DbType.Int64), ("muted_until", DbType.Int64), ("tokens_valid_after", DbType.Int64));
        _patch = Command(SqlStatements.PatchUser, ("is_admin", DbType.Boolean), ("is_active", DbType.Boolean), ("muted_until", DbType.Int64), ("tokens_valid_after", DbType.Int64), ("password_hash", DbType.String), ("at", DbType.Int64), ("username", DbType.String));
        _setting = Command(SqlStatements.UpsertSetting, ("key", DbType.String), ("value", DbType.String), ("at", DbType.Int64));
        _stored = new StoredEvents(this);
    }

    public DbConnection Connection { get; }

    public static WriterSession Open(ISqlDialect dialect)
    {
        var connection = dialect.CreateConnection(create: false);
        try
        {
            connection.Open();
            dialect.ConfigureWriter(connection);
            return new WriterSession(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Begin() => _transaction = Connection.BeginTransaction();

    public void Commit()
    {
        _transaction!.Commit();
        EndTransaction();
    }

    /// <summary>Ends a transaction that did not commit (rolled back as it is disposed).</summary>
    public void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
    }

    public AppendResult Append(AppendEvents op)
    {
        var inserted = 0;
        List<IdConflict>? conflicts = null;
        for (var i = 0; i < op.Events.Count; i++)
        {
            var key = op.SourceKeys?[i];
            var e = op.Events[i];
            var rows = e switch
            {
                ChatMessage m => Run(_chat, m.Id, key, m.User, m.Text, m.Toxic, m.Score, m.Blocked, Micros.ToUnix(m.Ts)),
                Gift g => Run(_gift, g.Id, key, g.From, g.GiftId, g.Amount, Micros.ToUnix(g.Ts)),
                AdminAction a => Run(_admin, a.Id, key, a.Admin, a.Action, a.Target, a.Details, Micros.ToUnix(a.Ts)),
                _ => throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(op)),
            };
            inserted += rows;

            // Not inserted: a replay of the same event (same id, same content), an imported line seen before (its
            // source key), or an id that is taken by another event, which must not pass unnoticed.
            if (rows == 0 && _stored.Find(e) is { } stored && stored != e)
            {
                (conflicts ??= []).Add(new IdConflict(e, stored));
            }
        }

        return new AppendResult(inserted, (IReadOnlyList<IdConflict>?)conflicts ?? []);
    }

    public bool Create(CreateUser op)
    {
        var u = op.User;
        return Run(_user, u.Username, u.Email, u.PasswordHash, u.IsActive, u.IsAdmin, Micros.ToUnix(u.CreatedAt), Micros.ToUnix(u.UpdatedAt), Unix(u.MutedUntil), Unix(u.TokensValidAfter)) == 1;
    }

    public User? Patch(PatchUser op)
    {
        var p = op.Patch;
        SetValues(_patch, p.IsAdmin, p.IsActive, Unix(p.MutedUntil), Unix(p.TokensValidAfter), p.PasswordHash, Micros.ToUnix(op.At), op.Username);
        using var reader = _patch.ExecuteReader();
        return reader.Read() ? UserRow.Read(reader).ToUser() : null;
    }

    public bool Put(PutSetting op) => Run(_setting, op.Key, op.Value, Micros.ToUnix(op.At)) == 1;

    public void Dispose()
    {
        EndTransaction();
        Connection.Dispose();
    }

    internal DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        // Prepared once per connection: unprepared, every execution compiles the statement again (a third slower).
        command.Prepare();
        return command;
    }

    internal void SetValues(DbCommand command, params object?[] values)
    {
        command.Transaction = _transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static long? Unix(DateTimeOffset? value) => value is { } v ? Micros.ToUnix(v) : null;

    private int Run(DbCommand command, params object?[] values)
    {
        SetValues(command, values);
        return command.ExecuteNonQuery();
    }
}
