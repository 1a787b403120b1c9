using SafeStream.Migrate.Cli;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>On PostgreSQL the database is a name on a server: made by the first import, under the rules of a first start.</summary>
public sealed class SampleImportOnPostgres() : SampleImportTests(DatabaseProvider.PostgreSQL)
{
    [Fact]
    public async Task AnImportIntoADatabaseThatDoesNotExistYetCreatesItAndImportsEverything()
    {
        var before = await Tool.DatabaseExistsAsync();

        var result = await Tool.RunAsync("import", "--json");

        Assert.False(before);
        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal(14, result.Json.GetProperty("inserted").GetInt64());
        Assert.Equal((8, 3, 3), await Tool.EventsAsync());
    }

    [Fact]
    public async Task AMissingDatabaseIsNotCreatedWhenOneWasInUseBefore()
    {
        Directory.CreateDirectory(Tool.Backups);
        File.WriteAllText(Path.Combine(Tool.Backups, "legacy-20250701-080000-000.tar.gz"), "");

        var result = await Tool.RunAsync("import");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("this is not a first start", result.Output, StringComparison.Ordinal);
        Assert.False(await Tool.DatabaseExistsAsync());
    }
}
