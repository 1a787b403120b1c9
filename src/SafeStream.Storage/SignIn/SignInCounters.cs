using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;

namespace SafeStream.Storage.SignIn;

public static class SignInCounters
{
    /// <summary>The counters for <paramref name="options"/>: in the database on PostgreSQL (several instances), else in memory.</summary>
    /// <param name="options">The storage options.</param>
    /// <param name="time">The clock that stamps the counters.</param>
    /// <param name="maxEntries">The most keys kept in memory (also the bound of the fallback during a PostgreSQL outage).</param>
    /// <param name="logger">Where a database that does not answer is reported.</param>
    public static ISignInCounters Create(StorageOptions options, TimeProvider time, int maxEntries, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var memory = new MemorySignInCounters(time, maxEntries);
        return options.Provider == DatabaseProvider.PostgreSQL && options.Mode is StorageMode.DatabaseFirst or StorageMode.DatabaseOnly
            ? new PostgresSignInCounters(new PostgresDialect(options.ConnectionString, options.Resilience.TimeoutMs).ConnectionString, time, memory, logger)
            : memory;
    }
}
