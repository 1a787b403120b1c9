using Microsoft.Data.Sqlite;

namespace SafeStream.Server.Tests.Support;

/// <summary>Reads the SQLite file directly, bypassing the server and the storage layer.</summary>
public static class DatabaseProbe
{
    /// <summary>Rows, distinct ids, and expected ids missing from the chat table.</summary>
    public static (long Rows, long Distinct, long Missing) ChatIds(string databasePath, IReadOnlyCollection<long> expected)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
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
