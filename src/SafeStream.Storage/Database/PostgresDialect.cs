using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeStream.Storage.Database;

/// <summary>
/// PostgreSQL: the production store. The database is created on a first start only (on the server the connection
/// string names, through its <c>postgres</c> database); after that a database that is gone is an error naming it,
/// never an empty one made anew. Events are inserted a table at a time for the whole batch (<see cref="PostgresInserter"/>).
/// </summary>
internal sealed class PostgresDialect : ISqlDialect
{
    private readonly NpgsqlConnectionStringBuilder _builder;

    public PostgresDialect(string connectionString, int timeoutMs)
    {
        _builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(_builder.Host) || string.IsNullOrWhiteSpace(_builder.Database))
        {
            throw new ArgumentException("Storage:ConnectionString must name a PostgreSQL server and database (Host=…;Database=…).", nameof(connectionString));
        }

        // A connection attempt that hangs is bounded by our own timeout (Polly), not Npgsql's 15 s default.
        if (!_builder.ContainsKey("Timeout"))
        {
            _builder.Timeout = Math.Max(1, (timeoutMs + 999) / 1000);
        }
    }

    public DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    public string ConnectionString => _builder.ConnectionString;

    public DbConnection CreateConnection(bool create) => new NpgsqlConnection(_builder.ConnectionString);

    public SafeStreamDbContext CreateContext(bool create) =>
        new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(_builder.ConnectionString, o => o.SetPostgresVersion(15, 0)).Options);

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
    }

    public string Describe() => $"postgresql://{_builder.Host}:{_builder.Port}/{_builder.Database}";

    public async Task PrepareAsync(bool create, CancellationToken cancellationToken)
    {
        if (!create)
        {
            return;
        }

        var maintenance = new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Quote(_builder.Database!)}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // another instance's first start made it a moment ago
        }
    }

    public WriterSession OpenWriter()
    {
        var connection = new NpgsqlConnection(_builder.ConnectionString);
        try
        {
            connection.Open();
            return new WriterSession(connection, session => new PostgresInserter(session));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public Task BackupAsync(string path, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"A PostgreSQL database is backed up with pg_dump (pg_dump -Fc -f {path}.dump …), not by SafeStream.");

    public void ResetConnections() => NpgsqlConnection.ClearAllPools();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
