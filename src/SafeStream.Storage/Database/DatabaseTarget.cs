using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeStream.Storage.Database;

/// <summary>
/// The database a configuration names, looked at from outside the service (the migration tool's checks and
/// <c>status</c>): what to call it, whether it is there, its schema version. Nothing here creates or migrates it.
/// </summary>
public static class DatabaseTarget
{
    /// <summary>Why <paramref name="connectionString"/> cannot name a <paramref name="provider"/> database, or null when it can.</summary>
    public static string? Problem(DatabaseProvider provider, string? connectionString)
    {
        try
        {
            _ = SqlDialects.For(new StorageOptions { Provider = provider, ConnectionString = connectionString ?? "" });
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>A full path for SQLite, <c>postgresql://host:port/database</c> for PostgreSQL; never a password.</summary>
    public static string Describe(StorageOptions options) => SqlDialects.For(options).Describe();

    /// <summary>Whether the database exists (a PostgreSQL server that does not answer is an exception, not a no).</summary>
    public static Task<bool> ExistsAsync(StorageOptions options, CancellationToken cancellationToken = default) =>
        SqlDialects.For(options).ExistsAsync(cancellationToken);

    /// <summary>The latest migration applied, or null for a database the migrations never ran on (read only).</summary>
    public static async Task<string?> SchemaVersionAsync(StorageOptions options, CancellationToken cancellationToken = default)
    {
        var dialect = SqlDialects.For(options);
        if (!await dialect.ExistsAsync(cancellationToken))
        {
            return null;
        }

        await using var context = dialect.CreateContext(create: false);
        try
        {
            return (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        }
        catch (Exception ex) when (ex is SqliteException { SqliteErrorCode: 1 } or PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            return null;
        }
    }
}
