using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SafeStream.Storage.Database;

/// <summary>What differs between database engines: connections, EF provider, first-use setup and error meaning.</summary>
internal interface ISqlDialect
{
    /// <summary>A new, closed connection. <paramref name="create"/> allows creating a missing database (only at first start).</summary>
    DbConnection CreateConnection(bool create);

    void UseProvider(DbContextOptionsBuilder builder, bool create);

    /// <summary>Whether the database exists (it is created only on a first start).</summary>
    bool Exists();

    /// <summary>The database for messages (a path, a host and name; never a password).</summary>
    string Describe();

    /// <summary>Runs once before migrations: folders, journal mode.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Per-connection settings of the single writer.</summary>
    void ConfigureWriter(DbConnection connection);

    /// <summary>Writes a consistent copy of the database to <paramref name="path"/> while it stays in use.</summary>
    Task BackupAsync(string path, CancellationToken cancellationToken);

    /// <summary>Throws an outage when the connection's database is no longer the one at its path.</summary>
    void EnsureInPlace(DbConnection connection);

    /// <summary>Drops pooled connections, which may point at a database file that has since been replaced.</summary>
    void ResetConnections();
}
