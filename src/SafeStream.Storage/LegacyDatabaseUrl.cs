namespace SafeStream.Storage;

/// <summary>
/// The legacy <c>DATABASE_URL</c> (SQLAlchemy form) as a provider and a connection string: <c>sqlite:///path</c>, or
/// <c>postgresql://user:pass@host:port/db</c> with an optional driver (<c>postgresql+asyncpg://…</c>). A URL that cannot
/// be read fails with a message that names <c>DATABASE_URL</c> and never shows its password.
/// </summary>
internal static class LegacyDatabaseUrl
{
    public static (DatabaseProvider Provider, string ConnectionString) Parse(string url)
    {
        // sqlite:///relative/path.db and sqlite:////absolute/path.db
        const string sqlite = "sqlite:///";
        if (url.StartsWith(sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return (DatabaseProvider.Sqlite, $"Data Source={url[sqlite.Length..]}");
        }

        try
        {
            return (DatabaseProvider.PostgreSQL, PostgresUrl.ToConnectionString(url));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"DATABASE_URL '{Redact(url)}' is not a sqlite:/// or postgresql:// URL we can use: {ex.Message}", ex);
        }
    }

    /// <summary>The URL with its password replaced, for messages.</summary>
    public static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at)) : url;
    }
}
