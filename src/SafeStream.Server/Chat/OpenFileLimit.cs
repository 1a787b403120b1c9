using System.Globalization;

namespace SafeStream.Server.Chat;

/// <summary>
/// The process's open-file limit (<c>RLIMIT_NOFILE</c>), read from <c>/proc/self/limits</c> on Linux. Every socket is
/// a file, so it caps the connections one process can hold whatever <see cref="LimitsOptions.MaxConnections"/> says.
/// </summary>
internal static class OpenFileLimit
{
    private const string LimitsFile = "/proc/self/limits";

    /// <summary>The soft and hard limits of this process; null where they cannot be read (not Linux) or are unlimited.</summary>
    public static (long Soft, long? Hard)? Read()
    {
        try
        {
            return File.Exists(LimitsFile) ? Parse(File.ReadAllText(LimitsFile)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>Max open files</c> row of a <c>/proc/&lt;pid&gt;/limits</c> text: its soft limit, and its hard limit (null
    /// when unlimited); null when there is no such row or the soft limit is unlimited.
    /// </summary>
    public static (long Soft, long? Hard)? Parse(string limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !TryNumber(fields[0], out var soft))
            {
                return null;
            }

            return (soft, TryNumber(fields[1], out var hard) ? hard : null);
        }

        return null;
    }

    /// <summary>
    /// The files this process holds open now (<c>/proc/self/fd</c>), or null where that cannot be read. The runtime
    /// alone holds about two per loaded assembly: a few hundred before the first connection.
    /// </summary>
    public static int? OpenNow()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Files kept beyond those open at start, for what opens later: assemblies loaded on first use, the database and its
    /// journal, log files, listening sockets, HTTP clients, dashboard feeds and database connections. A tenth of the
    /// limit, and never fewer than 256.
    /// </summary>
    public static long Margin(long limit) => Math.Max(256, limit / 10);

    /// <summary>The chat sockets a limit of <paramref name="limit"/> leaves room for (at least 1), with <paramref name="openNow"/> files open.</summary>
    public static int Allows(long limit, int openNow) => (int)Math.Clamp(limit - openNow - Margin(limit), 1, int.MaxValue);

    private static bool TryNumber(string field, out long value) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
