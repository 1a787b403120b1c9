using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>Looks into (and tampers with) the SQLite file directly, past every layer under test.</summary>
public static class Db
{
    public static long Scalar(string database, string sql)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void Execute(string database, string sql)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Rows of the three event tables.</summary>
    public static (long Chat, long Gifts, long Admin) Events(string database) =>
        (Scalar(database, "SELECT count(*) FROM chat_messages"), Scalar(database, "SELECT count(*) FROM gifts"), Scalar(database, "SELECT count(*) FROM admin_actions"));

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
