using Microsoft.Data.Sqlite;

namespace SafeStream.Storage.Tests.Support;

/// <summary>Reads the SQLite file directly, bypassing every layer under test.</summary>
public static class DatabaseProbe
{
    public static long Scalar(StorageOptions options, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Stores.DatabasePath(options)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows, distinct ids, and ids missing from <paramref name="expected"/>, of the chat table.</summary>
    public static (long Rows, long Distinct, long Missing) ChatIds(StorageOptions options, IEnumerable<long> expected)
    {
        using var connection = new SqliteConnection($"Data Source={Stores.DatabasePath(options)};Mode=ReadOnly;Pooling=False");
        connection.Open();
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
}
