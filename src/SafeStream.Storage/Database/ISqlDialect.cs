using System.Data.Common;

namespace SafeStream.Storage.Database;

/// <summary>What differs between database engines: connections, the EF context, first-use setup, the bulk insert.</summary>
internal interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>A new, closed connection. <paramref name="create"/> allows creating a missing database (only at first start).</summary>
    DbConnection CreateConnection(bool create);

    /// <summary>A context for reads (<paramref name="create"/>: for the migrations of a first start).</summary>
    SafeStreamDbContext CreateContext(bool create);

    /// <summary>Whether the database exists (it is created only on a first start).</summary>
    Task<bool> ExistsAsync(CancellationToken cancellationToken);

    /// <summary>The database for messages (a path, a host and name; never a password).</summary>
    string Describe();

    /// <summary>Runs once before migrations: creates the database when <paramref name="create"/>, sets file modes.</summary>
    Task PrepareAsync(bool create, CancellationToken cancellationToken);

    /// <summary>The single writer's session on a new connection.</summary>
    WriterSession OpenWriter();

    /// <summary>Writes a consistent copy of the database to <paramref name="path"/> while it stays in use.</summary>
    Task BackupAsync(string path, CancellationToken cancellationToken);

    /// <summary>Drops pooled connections, which may point at a database file that has since been replaced, or a server that restarted.</summary>
    void ResetConnections();
}
