using Npgsql;

namespace SafeStream.Storage.Tests.Configuration;

/// <summary>The legacy <c>DATABASE_URL</c> forms onto a provider and a connection string.</summary>
public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("postgresql://postgres@127.0.0.1:5432/safestream", "127.0.0.1", 5432, "safestream", "postgres", null)]
    [InlineData("postgresql+asyncpg://app:s3cret@db.example/chat", "db.example", 5432, "chat", "app", "s3cret")]
    [InlineData("postgres://user:p%40ss%3Aw%2Ford@db.example:6543/chat%2Dlog", "db.example", 6543, "chat-log", "user", "p@ss:w/ord")]
    [InlineData("postgresql://app:pa@ss@[::1]:5433/db", "::1", 5433, "db", "app", "pa@ss")]
    public void PostgresqlUrlsBecomeAnNpgsqlConnectionString(string url, string host, int port, string database, string user, string? password)
    {
        var (provider, connectionString) = LegacyDatabaseUrl.Parse(url);

        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(DatabaseProvider.PostgreSQL, provider);
        Assert.Equal((host, port, database, user, password), (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password));
    }

    [Fact]
    public void QueryParametersMapOntoTheirNpgsqlKeys()
    {
        var (_, connectionString) = LegacyDatabaseUrl.Parse("postgresql://app@h:5432/db?sslmode=verify-full&application_name=safe%20stream&connect_timeout=5");

        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal((SslMode.VerifyFull, "safe stream", 5), (parsed.SslMode, parsed.ApplicationName, parsed.Timeout));
    }

    [Theory]
    [InlineData("mysql://root:hunter2@db/chat", "the scheme 'mysql'")]
    [InlineData("postgresql://app:hunter2@db/chat?sslmode=requir", "sslmode 'requir'")]
    [InlineData("postgresql://app:hunter2@db/chat?bogus=1", "the parameter 'bogus'")]
    [InlineData("postgresql://app:hunter2@db:99999/chat", "the port '99999'")]
    [InlineData("postgresql://app@db:99999/chat?password=hunter2", "the port '99999'")]
    [InlineData("postgresql://app@db/chat?sslmode=requir&Password=hun%40ter2@x", "sslmode 'requir'")]
    [InlineData("postgresql://db/chat?sslpassword=hunter2&bogus=1", "the parameter 'bogus'")]
    public void ABadUrlNamesDatabaseUrlAndWhatIsWrongButNeverThePassword(string url, string what)
    {
        var error = Assert.Throws<FormatException>(() => LegacyDatabaseUrl.Parse(url));

        Assert.StartsWith("DATABASE_URL '", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteUrlsStayOnSqlite()
    {
        Assert.Equal((DatabaseProvider.Sqlite, "Data Source=legacy/chat.db"), LegacyDatabaseUrl.Parse("sqlite:///legacy/chat.db"));
    }
}
