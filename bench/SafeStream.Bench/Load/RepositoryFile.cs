namespace SafeStream.Bench.Load;

/// <summary>Finds files of the repository (the folder holding SafeStream.sln) from wherever the benchmark runs.</summary>
internal static class RepositoryFile
{
    public static string Root { get; } = FindRoot();

    public static string Find(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{relativePath} not found under {Root}", path);
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SafeStream.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"SafeStream.sln not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }
}
