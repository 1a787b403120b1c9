using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Status;

/// <summary><c>status</c> before the import and after it, with <paramref name="latestMigration"/> the provider's newest schema migration.</summary>
public abstract class StatusTests(DatabaseProvider provider, string latestMigration) : ToolTests(provider)
{
    [Fact]
    public async Task BeforeTheImportStatusShowsTheFilesAndRecommendsImportingWithoutCreatingADatabase()
    {
        Tool.Configure("DualWrite");

        var result = await Tool.RunAsync("status", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("DualWrite", result.Json.GetProperty("mode").GetString());
        Assert.False(result.Json.GetProperty("database_exists").GetBoolean());
        Assert.Equal([1L, 4L, 0L], result.Json.GetProperty("legacy_files").EnumerateArray().Select(f => f.GetProperty("count").GetInt64()));
        Assert.Contains("migrate.sh import", result.Json.GetProperty("next_step").GetString(), StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }

    [Fact]
    public async Task InDatabaseOnlyWithFilesLeftStatusShowsTheSchemaAndRecommendsArchiving()
    {
        await Tool.RunAsync("import");
        Tool.Configure("DatabaseOnly");

        var result = await Tool.RunAsync("status");

        Assert.Contains($"(schema {latestMigration})", result.Output, StringComparison.Ordinal);
        Assert.Contains("next: phase F: run `scripts/migrate.sh archive`", result.Output, StringComparison.Ordinal);
    }
}

public sealed class StatusOnSqlite() : StatusTests(DatabaseProvider.Sqlite, "20261202174853_ChangeStamps");

public sealed class StatusOnPostgres() : StatusTests(DatabaseProvider.PostgreSQL, "20261207191328_SignInLimits");
