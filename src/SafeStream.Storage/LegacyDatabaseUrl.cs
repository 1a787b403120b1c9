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

    /// <summary>The URL with its passwords replaced, for messages: in the user info and in <c>?password=</c> / <c>sslpassword=</c>.</summary>
    public static string Redact(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var (front, query) = question < 0 ? (url, "") : (url[..question], url[(question + 1)..]);
        var at = front.LastIndexOf('@');
        var scheme = front.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && scheme > 0 && at > scheme)
        {
            front = string.Concat(front.AsSpan(0, scheme + 3), "***", front.AsSpan(at));
        }

        if (question < 0)
        {
            return front;
        }

        var pairs = query.Split('&').Select(pair =>
        {
            var key = pair.Split('=', 2)[0];
            return Uri.UnescapeDataString(key).ToLowerInvariant() is "password" or "sslpassword" ? $"{key}=***" : pair;
        });
        return $"{front}?{string.Join('&', pairs)}";
    }
}
