using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SafeStream.Storage.Database;

/// <summary>Lets <c>dotnet ef migrations add … --context SafeStreamDbContext</c> build the SQLite context without the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SafeStreamDbContext>
{
    public SafeStreamDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SafeStreamDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// Lets <c>dotnet ef migrations add … --context PostgresDbContext --output-dir Database/Migrations/PostgreSQL</c> build
/// the PostgreSQL context; adding a migration connects to nothing.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=design_time", o => o.SetPostgresVersion(15, 0)).Options);
}
