using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;

namespace SafeStream.Migrate.Tests.Status;

public sealed class StatusTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly Tool _tool;

    public StatusTests()
    {
        _dir.CopyLegacySample();
        _tool = new Tool(_dir);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BeforeTheImportStatusShowsTheFilesAndRecommendsImportingWithoutCreatingADatabase()
    {
        _tool.Configure("DualWrite");

        var result = await _tool.RunAsync("status", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("DualWrite", result.Json.GetProperty("mode").GetString());
        Assert.False(result.Json.GetProperty("database_exists").GetBoolean());
        Assert.Equal([1L, 4L, 0L], result.Json.GetProperty("legacy_files").EnumerateArray().Select(f => f.GetProperty("count").GetInt64()));
        Assert.Contains("migrate.sh import", result.Json.GetProperty("next_step").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_tool.Database));
    }

    [Fact]
    public async Task InDatabaseOnlyWithFilesLeftStatusShowsTheSchemaAndRecommendsArchiving()
    {
        await _tool.RunAsync("import");
        _tool.Configure("DatabaseOnly");

        var result = await _tool.RunAsync("status");

        Assert.Contains("ChangeStamps", result.Output, StringComparison.Ordinal);
        Assert.Contains("next: phase F: run `scripts/migrate.sh archive`", result.Output, StringComparison.Ordinal);
    }
}
