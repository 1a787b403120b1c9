using System.Globalization;

namespace SafeStream.Storage.Journal;

/// <summary>The journal's segments: <c>journal-NNNNNNNN.jsonl</c>, numbered in the order they were opened.</summary>
internal static class SegmentFiles
{
    /// <summary>The numbers of the segments in <paramref name="directory"/>, ascending.</summary>
    public static List<long> In(string directory) => !Directory.Exists(directory) ? [] :
        [.. Directory.EnumerateFiles(directory, "journal-*.jsonl")
            .Select(p => Path.GetFileNameWithoutExtension(p)["journal-".Length..])
            .Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1)
            .Where(s => s >= 0)
            .Order()];

    public static string PathOf(string directory, long segment) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"journal-{segment:D8}.jsonl"));

    /// <summary>Opens a segment for reading while its owner may append to it or delete it.</summary>
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
}
