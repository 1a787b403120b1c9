namespace SafeStream.Storage;

/// <summary>The legacy <c>DATABASE_URL</c> (SQLAlchemy form) as a connection string.</summary>
internal static class LegacyDatabaseUrl
{
    public static string ToConnectionString(string url)
    {
        // sqlite:///relative/path.db and sqlite:////absolute/path.db
        const string sqlite = "sqlite:///";
        if (url.StartsWith(sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return $"Data Source={url[sqlite.Length..]}";
        }

        throw new InvalidOperationException(
            $"DATABASE_URL '{Redact(url)}' is not a sqlite:/// URL; PostgreSQL is not supported yet. Set Storage:ConnectionString instead.");
    }

    private static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 ? string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at)) : url;
    }
}
