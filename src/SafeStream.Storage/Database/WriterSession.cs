using System.Data;
using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// The writer's open connection, its transaction and its prepared statements, rebuilt after any failure. A batch of
/// submissions is one transaction: account and setting writes run in order, and every submission's events go to the
/// <see cref="IEventInserter"/> together (events depend on nothing else, so they may run after the rest), which on
/// PostgreSQL is one statement per table for the whole batch, sent with the COMMIT in one round trip.
/// </summary>
internal sealed class WriterSession : IWriteExecutor, IDisposable
{
    private readonly DbCommand _user;
    private readonly DbCommand _patch;
    private readonly DbCommand _setting;
    private readonly IEventInserter _events;
    private readonly Action<DbConnection>? _check;

    /// <param name="connection">An open connection, this session's for its life.</param>
    /// <param name="events">The provider's way to insert events.</param>
    /// <param name="check">Runs before each transaction (SQLite: the file is still the one at its path).</param>
    public WriterSession(DbConnection connection, Func<WriterSession, IEventInserter> events, Action<DbConnection>? check = null)
    {
        Connection = connection;
        _check = check;
        _user = Command(SqlStatements.InsertUser, ("username", DbType.String), ("email", DbType.String), ("password_hash", DbType.String), ("is_active", DbType.Boolean), ("is_admin", DbType.Boolean), ("created_at", DbType.Int64), ("updated_at", DbType.Int64), ("muted_until", DbType.Int64), ("tokens_valid_after", DbType.Int64));
        _patch = Command(SqlStatements.PatchUser, ("is_admin", DbType.Boolean), ("is_active", DbType.Boolean), ("muted_until", DbType.Int64), ("tokens_valid_after", DbType.Int64), ("password_hash", DbType.String), ("at", DbType.Int64), ("username", DbType.String));
        _setting = Command(SqlStatements.UpsertSetting, ("key", DbType.String), ("value", DbType.String), ("at", DbType.Int64));
        _events = events(this);
    }

    public DbConnection Connection { get; }

    public DbTransaction? Transaction { get; private set; }

    /// <summary>Executes the submissions in one transaction and commits it; one result per op, per submission.</summary>
    public object?[][] Commit(IReadOnlyList<DbWriter.Submission> batch)
    {
        _check?.Invoke(Connection);
        Transaction = Connection.BeginTransaction();
        try
        {
            var results = new object?[batch.Count][];
            List<(object?[] Results, int Index, AppendEvents Op)>? appends = null;
            for (var i = 0; i < batch.Count; i++)
            {
                var ops = batch[i].Ops;
                var answers = results[i] = new object?[ops.Count];
                for (var j = 0; j < ops.Count; j++)
                {
                    if (ops[j] is AppendEvents append)
                    {
                        (appends ??= []).Add((answers, j, append));
                    }
                    else
                    {
                        answers[j] = ops[j].Run(this);
                    }
                }
            }

            var committed = false;
            if (appends is not null)
            {
                (var inserted, committed) = _events.InsertLast([.. appends.Select(a => a.Op)]);
                for (var k = 0; k < appends.Count; k++)
                {
                    appends[k].Results[appends[k].Index] = inserted[k];
                }
            }

            if (!committed)
            {
                Transaction.Commit();
            }

            return results;
        }
        finally
        {
            Transaction.Dispose();
            Transaction = null;
        }
    }

    public AppendResult Append(AppendEvents op) => _events.Insert([op])[0];

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
        Transaction?.Dispose();
        Connection.Dispose();
    }

    /// <summary>A statement prepared once on this connection (unprepared, every execution is compiled again: a third slower on SQLite).</summary>
    public DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
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

        command.Prepare();
        return command;
    }

    /// <summary>Binds <paramref name="values"/> in order, inside the transaction in progress.</summary>
    public void SetValues(DbCommand command, params object?[] values)
    {
        command.Transaction = Transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public int Run(DbCommand command, params object?[] values)
    {
        SetValues(command, values);
        return command.ExecuteNonQuery();
    }

    private static long? Unix(DateTimeOffset? value) => value is { } v ? Micros.ToUnix(v) : null;
}
