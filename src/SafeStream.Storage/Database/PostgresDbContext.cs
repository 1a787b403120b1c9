using Microsoft.EntityFrameworkCore;

namespace SafeStream.Storage.Database;

/// <summary>The same schema on PostgreSQL: its own type so that EF Core applies PostgreSQL's committed migrations to it.</summary>
internal sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : SafeStreamDbContext(options);
