using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage;
using SafeStream.Storage.Database;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>The storage layer's database store on a test's database, to play the running server.</summary>
internal static class Stores
{
    public static DbStore Database(string path) =>
        DbStore.Open(new StorageOptions { ConnectionString = $"Data Source={path}" }, TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.OnFirstStart);
}
