using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SafeStream.Storage.Database;

internal static class DbErrors
{
    /// <summary>
    /// A unique or foreign-key violation (SQLite error 19, PostgreSQL SQLSTATE class 23), or data the column refuses
    /// (PostgreSQL class 22, a name longer than its column): an answer about the data, never an outage.
    /// </summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        DbException db when db.SqlState is [('2'), ('2' or '3'), ..] => true,
        { InnerException: { } inner } => IsConstraintViolation(inner),
        _ => false,
    };
}
