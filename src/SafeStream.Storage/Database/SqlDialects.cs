namespace SafeStream.Storage.Database;

internal static class SqlDialects
{
    /// <summary>The dialect of <c>Storage:Provider</c> on <c>Storage:ConnectionString</c>.</summary>
    public static ISqlDialect For(StorageOptions options) => options.Provider switch
    {
        DatabaseProvider.PostgreSQL => new PostgresDialect(options.ConnectionString, options.Resilience.TimeoutMs),
        _ => new SqliteDialect(options.ConnectionString, options.Resilience.BusyTimeoutMs, options.SqliteSynchronous == SqliteSynchronous.Full),
    };
}
