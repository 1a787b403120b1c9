using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>An account in the database whose password hash differs from users.json: never silently overwritten.</summary>
public abstract class UserConflictTests(DatabaseProvider provider) : ToolTests(provider)
{
    private const string OtherHash = "$2b$12$hMn/P/dGYR7KtHijQZOv2.DQksf8jA8mtvKdCxPJ1r4q9zz3GX6Rm"; // alice's: secret123

    [Fact]
    public async Task AConflictingUserIsReportedAndNotOverwritten()
    {
        await RegisterBobInTheDatabaseAsync();

        var result = await Tool.RunAsync("import", "--json");

        Assert.Equal(ExitCodes.RejectedAndConflicts, result.ExitCode);
        Assert.Equal(1, result.Json.GetProperty("users").GetProperty("conflicts").GetInt64());
        Assert.Equal("bob", result.Json.GetProperty("users").GetProperty("conflicting")[0].GetString());
        Assert.Equal(OtherHash, (await FindAsync("bob")).PasswordHash);
        Assert.Equal(4, await Tool.ScalarAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task TheConflictIsNamedInTheReadableSummaryWithHowToSettleIt()
    {
        await RegisterBobInTheDatabaseAsync();

        var result = await Tool.RunAsync("import");

        Assert.Contains("left unchanged: bob", result.Output, StringComparison.Ordinal);
        Assert.Contains("--conflicts keep-database", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeFileGivesTheAccountTheLegacyPassword()
    {
        await RegisterBobInTheDatabaseAsync();

        var result = await Tool.RunAsync("import", "--conflicts", "take-file", "--json");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal(1, result.Json.GetProperty("users").GetProperty("took_file").GetInt64());
        Assert.True(BCrypt.Net.BCrypt.Verify("hunter22", (await FindAsync("bob")).PasswordHash));
    }

    [Fact]
    public async Task KeepDatabaseIsRememberedSoVerifyCountsTheAccountAsSettled()
    {
        await RegisterBobInTheDatabaseAsync();
        await Tool.RunAsync("import", "--conflicts", "keep-database");

        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        var users = verify.Json.GetProperty("kinds")[0];
        Assert.Equal(1, users.GetProperty("settled").GetInt64());
        Assert.Equal(OtherHash, (await FindAsync("bob")).PasswordHash);
    }

    private async Task RegisterBobInTheDatabaseAsync()
    {
        await using var store = Tool.Server();
        await store.CreateUserAsync(new User { Username = "bob", PasswordHash = OtherHash, Email = "bob@new.example" }, Ct);
    }

    private async Task<User> FindAsync(string name)
    {
        await using var store = Tool.Server();
        return (await store.FindUserAsync(name, Ct))!;
    }
}

public sealed class UserConflictOnSqlite() : UserConflictTests(DatabaseProvider.Sqlite);

public sealed class UserConflictOnPostgres() : UserConflictTests(DatabaseProvider.PostgreSQL);
