using System.Diagnostics;

namespace SafeStream.Testing;

/// <summary>The modes of what a process made in a folder, and whether another local user can open a file.</summary>
public static class FileModes
{
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Every file and folder under <paramref name="root"/> (not the root itself) that <paramref name="before"/> does not hold.</summary>
    public static List<string> Entries(string root, IReadOnlySet<string>? before = null) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => before is null || !before.Contains(p)).Order(StringComparer.Ordinal)];

    /// <summary>Those of <paramref name="entries"/> not 0700 (folders) or 0600 (files), each with its mode, for a failure message.</summary>
    public static List<string> NotPrivate(IEnumerable<string> entries) =>
        [.. entries.Select(p => (Path: p, Mode: Mode(p), Expected: Directory.Exists(p) ? Folder : File))
            .Where(e => e.Mode != e.Expected)
            .Select(e => $"{e.Path} is {Octal(e.Mode)}, not {Octal(e.Expected)}")];

    public static UnixFileMode Mode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are a Unix matter");
        }

        return System.IO.File.GetUnixFileMode(path);
    }

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>
    /// Whether the user <c>nobody</c> can open <paramref name="path"/> for reading (what a read lock needs), tried for
    /// real with <c>runuser</c>. The tests run as root; this is the other local user the modes keep out.
    /// </summary>
    public static async Task<bool> NobodyCanOpenAsync(string path)
    {
        var info = new ProcessStartInfo("runuser") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-u", "nobody", "--", "sh", "-c", "exec 3< \"$1\"", "sh", path })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start runuser");
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0 || error.Contains("Permission denied", StringComparison.Ordinal), $"runuser failed for another reason: {error}");
        return process.ExitCode == 0;
    }
}
