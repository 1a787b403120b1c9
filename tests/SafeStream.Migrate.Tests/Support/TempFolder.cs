namespace SafeStream.Migrate.Tests.Support;

/// <summary>A folder of the test's own under the system temp folder, named after the test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        var test = TestContext.Current.Test?.TestCase.TestMethod?.MethodName ?? "test";
        Path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safestream-migrate-tests", $"{test[..Math.Min(test.Length, 80)]}-{Guid.NewGuid():N}")).FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>A copy of the legacy sample (users.json and logs/) in <c>legacy/</c>; answers its path.</summary>
    public string CopyLegacySample()
    {
        var source = System.IO.Path.Combine(AppContext.BaseDirectory, "legacy-sample");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = this[System.IO.Path.Combine("legacy", System.IO.Path.GetRelativePath(source, file))];
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return this["legacy"];
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file a killed child still held; the temp folder is the OS's to clean
        }
    }
}
