using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>The legacy rule's <c>$</c> let <c>"alice\n"</c> register; import does not carry such a name into the database.</summary>
public abstract class UsernameImportTests(DatabaseProvider provider) : ToolTests(provider, sample: false)
{
    [Fact]
    public async Task AnAccountNameWithANewlineIsRejectedAndOtherLegacyNamesAreImported()
    {
        Directory.CreateDirectory(Tool.Legacy);
        const string Hash = "$2b$04$abcdefghijklmnopqrstuu5XRPkYjHxDMqvmS3mwP0lpQ9K4q9z1a";
        await File.WriteAllTextAsync(
            Path.Combine(Tool.Legacy, "users.json"),
            $$$"""{"alice\n": {"username": "alice\n", "email": null, "disabled": false, "hashed_password": "{{{Hash}}}"}, "Jos\u00e9": {"username": "Jos\u00e9", "email": null, "disabled": false, "hashed_password": "{{{Hash}}}"}}""",
            Ct);
        Tool.Configure("DualWrite");

        var import = await Tool.RunAsync("import", "--json");
        var verify = await Tool.RunAsync("verify", "--json");

        Assert.Equal(3, import.ExitCode); // finished, with a reject
        Assert.Equal(1, import.Json.GetProperty("users").GetProperty("created").GetInt64());
        Assert.Equal(1, import.Json.GetProperty("rejected").GetInt64());
        Assert.Contains("control character", await File.ReadAllTextAsync(import.Json.GetProperty("rejects_file").GetString()!, Ct), StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
    }
}

public sealed class UsernameImportOnSqlite() : UsernameImportTests(DatabaseProvider.Sqlite);

public sealed class UsernameImportOnPostgres() : UsernameImportTests(DatabaseProvider.PostgreSQL);
