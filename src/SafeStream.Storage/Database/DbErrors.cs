using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SafeStream.Storage.Database;

internal static class DbErrors
{
    /// <summary>A unique or foreign-key violation (SQLite error 19, PostgreSQL SQLSTATE class 23): an answer, never an outage.</summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        DbException db when db.SqlState?.StartsWith("23", StringComparison.Ordinal) == true => true,
        { InnerException: { } inner } => IsConstraintViolation(inner),
        _ => false,
    };
}
