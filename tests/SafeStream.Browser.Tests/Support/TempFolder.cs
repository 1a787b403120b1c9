namespace SafeStream.Browser.Tests.Support;

/// <summary>A folder of its own for one test, named after it, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    private static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "safestream-browser-tests");

    public TempFolder()
    {
        var test = TestContext.Current.Test?.TestCase.TestMethod?.MethodName ?? "test";
        Path = System.IO.Path.Combine(Root, $"{test[..Math.Min(test.Length, 80)]}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a component that is shutting down; the OS cleans temp folders
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
