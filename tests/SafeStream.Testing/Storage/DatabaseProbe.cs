using System.Globalization;
using Microsoft.Data.Sqlite;
using SafeStream.Storage;

namespace SafeStream.Testing;

/// <summary>Reads the SQLite file directly, bypassing every layer under test.</summary>
public static class DatabaseProbe
{
    public static long Scalar(StorageOptions options, string sql) => Scalar(Stores.DatabasePath(options), sql);

    public static long Scalar(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Rows, distinct ids, and ids missing from <paramref name="expected"/>, of the chat table.</summary>
    public static (long Rows, long Distinct, long Missing) ChatIds(StorageOptions options, IEnumerable<long> expected) =>
        ChatIds(Stores.DatabasePath(options), expected);

    /// <summary>Rows, distinct ids, and ids missing from <paramref name="expected"/>, of the chat table.</summary>
    public static (long Rows, long Distinct, long Missing) ChatIds(string databasePath, IEnumerable<long> expected)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM chat_messages";
        var ids = new List<long>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var present = ids.ToHashSet();
        return (ids.Count, present.Count, expected.Count(id => !present.Contains(id)));
    }

    /// <summary>Every id of <paramref name="table"/>, as stored.</summary>
    public static IReadOnlyList<long> Ids(string databasePath, string table)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {table}";
        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
