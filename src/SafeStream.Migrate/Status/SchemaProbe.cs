using Microsoft.Data.Sqlite;

namespace SafeStream.Migrate.Status;

/// <summary>
/// The latest migration applied to a database, read without opening the store: the store's own SchemaVersionAsync
/// first applies pending migrations, and status must change nothing (the server migrates at its start).
/// </summary>
internal static class SchemaProbe
{
    public static string? LatestMigration(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1";
        try
        {
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            return null; // no history table: a database the migrations never ran on
        }
    }
}
