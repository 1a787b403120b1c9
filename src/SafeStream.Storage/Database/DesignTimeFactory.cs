using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SafeStream.Storage.Database;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SafeStreamDbContext>
{
    public SafeStreamDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SafeStreamDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
