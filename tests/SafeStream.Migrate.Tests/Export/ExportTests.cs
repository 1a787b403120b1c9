using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Export;

/// <summary>Rollback from DatabaseFirst to the files: what only the database holds is written back.</summary>
public abstract class ExportTests(DatabaseProvider provider) : ToolTests(provider)
{
    [Fact]
    public async Task WhatOnlyTheDatabaseHoldsIsWrittenBackAndServedByTheFileStore()
    {
        await Tool.RunAsync("import");
        var written = LegacyLog.Chat(3) with { Id = 4242, Text = "written in DatabaseFirst" };
        await using (var server = Tool.Server())
        {
            await server.AppendAsync([written], Ct);
            await server.CreateUserAsync(new User { Username = "newcomer", PasswordHash = "$2b$12$hMn/P/dGYR7KtHijQZOv2.DQksf8jA8mtvKdCxPJ1r4q9zz3GX6Rm" }, Ct);
        }

        Tool.Configure("JsonlOnly");

        var result = await Tool.RunAsync("export");
        var verify = await Tool.RunAsync("verify", "--json");
        var reimport = await Tool.RunAsync("import", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(verify.Json.GetProperty("database_only").EnumerateArray());
        using var files = new JsonlStore(new StorageOptions { LegacyPath = Tool.Legacy }, TimeProvider.System, NullLogger<JsonlStore>.Instance);
        Assert.NotNull(await files.FindUserAsync("newcomer", Ct));
        Assert.Contains(await files.RecentMessagesAsync(new MessageQuery(), Ct), m => m.Id == 4242 && m.Text == written.Text);
        Assert.Equal(0, reimport.Json.GetProperty("inserted").GetInt64());
        Assert.Equal(5, reimport.Json.GetProperty("users").GetProperty("already_present").GetInt64());
    }

    [Fact]
    public async Task ExportRefusesWhileTheConfigurationStillPointsAtTheDatabase()
    {
        await Tool.RunAsync("import");
        Tool.Configure("DatabaseFirst");

        var result = await Tool.RunAsync("export");

        Assert.Equal(ExitCodes.NotReady, result.ExitCode);
        Assert.Contains("set Storage:Mode to JsonlOnly or DualWrite first", result.Output, StringComparison.Ordinal);
    }
}

public sealed class ExportOnSqlite() : ExportTests(DatabaseProvider.Sqlite);

public sealed class ExportOnPostgres() : ExportTests(DatabaseProvider.PostgreSQL);
