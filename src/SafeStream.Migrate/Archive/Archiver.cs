using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Migrate.Archive;

/// <summary>A file to archive: where it is, its name in the archive, and what it was when it was packed.</summary>
internal sealed record ArchivedFile(string Path, string EntryName, long Length, DateTime LastWriteUtc, string Sha256);

/// <summary>
/// Packs files into a .tar.gz, then reads the archive back and checks every entry against the checksum taken before
/// packing. Only a checked archive gets its final name, and only then may the originals go.
/// </summary>
internal static class Archiver
{
    public const string ManifestName = "MANIFEST.sha256";

    public static IReadOnlyList<ArchivedFile> Pack(IReadOnlyList<(string Path, string EntryName)> files, string archivePath)
    {
        ArgumentNullException.ThrowIfNull(files);
        var manifest = files.Select(f => Describe(f.Path, f.EntryName)).ToList();
        var partial = archivePath + ".partial";
        SecureFiles.CreateParent(archivePath);
        using (var output = SecureFiles.Open(partial, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var file in manifest)
                {
                    tar.WriteEntry(file.Path, file.EntryName);
                }

                // `sha256sum -c MANIFEST.sha256` checks an extracted archive without this tool.
                var text = string.Concat(manifest.Select(f => $"{f.Sha256}  {f.EntryName}\n"));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ManifestName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }

            output.Flush(flushToDisk: true);
        }

        var problems = Check(partial, manifest);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"the archive {partial} does not read back as written ({string.Join("; ", problems)}); nothing was deleted");
        }

        File.Move(partial, archivePath);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(archivePath))!); // the archive's name survives a power loss too
        return manifest;
    }

    /// <summary>Every manifest entry read back from the archive with the same length and checksum; the problems otherwise.</summary>
    public static List<string> Check(string archivePath, IReadOnlyList<ArchivedFile> manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var expected = manifest.ToDictionary(f => f.EntryName, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        using (var input = File.OpenRead(archivePath))
        using (var gzip = new GZipStream(input, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (!expected.TryGetValue(entry.Name, out var file))
                {
                    continue; // the manifest itself
                }

                seen.Add(entry.Name);
                var sha = entry.DataStream is null ? Sha256(Stream.Null) : Sha256(entry.DataStream);
                if (entry.Length != file.Length || sha != file.Sha256)
                {
                    problems.Add($"{entry.Name} reads back as {entry.Length} bytes sha256 {sha}, packed as {file.Length} bytes sha256 {file.Sha256}");
                }
            }
        }

        problems.AddRange(expected.Keys.Where(name => !seen.Contains(name)).Select(name => $"{name} is missing from the archive"));
        return problems;
    }

    /// <summary>True when the file is still what was packed (nothing appended since), so deleting it loses nothing.</summary>
    public static bool Unchanged(ArchivedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var info = new FileInfo(file.Path);
        return info.Exists && info.Length == file.Length && info.LastWriteTimeUtc == file.LastWriteUtc;
    }

    private static ArchivedFile Describe(string path, string entryName)
    {
        var info = new FileInfo(path);
        using var stream = File.OpenRead(path);
        return new ArchivedFile(path, entryName, info.Length, info.LastWriteTimeUtc, Sha256(stream));
    }

    private static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));
}
