namespace SafeStream.Storage.Tests.Support;

/// <summary>A folder of its own for one test, named after it, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    private static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safestream-tests");

    public TempFolder()
    {
        var test = TestContext.Current.Test?.TestCase.TestMethod?.MethodName ?? "test";
        Path = System.IO.Path.Combine(Root, $"{test}-{Guid.NewGuid():N}"[..Math.Min(test.Length + 33, 120)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Copies the legacy sample (users.json and logs/) into <paramref name="relative"/> and answers its path.</summary>
    public string CopyLegacySample(string relative = "legacy")
    {
        var source = System.IO.Path.Combine(AppContext.BaseDirectory, "legacy-sample");
        var target = this[relative];
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            File.SetAttributes(destination, FileAttributes.Normal);
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a crashed component; the temp folder is cleaned by the OS
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
