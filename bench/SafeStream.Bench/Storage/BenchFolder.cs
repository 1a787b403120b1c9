namespace SafeStream.Bench.Storage;

/// <summary>A scratch folder under the system temp folder, deleted at the end of the run.</summary>
internal sealed class BenchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("safestream-bench-").FullName;

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
