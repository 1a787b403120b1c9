using System.Globalization;
using SafeStream.Storage.Locking;

namespace SafeStream.Storage.Backups;

/// <summary>A checked backup: the SQLite file and its manifest, side by side.</summary>
public sealed record BackupEntry(string File, string ManifestPath, BackupManifest Manifest);

/// <summary>
/// The backups folder: <c>safestream-backup-&lt;UTC time&gt;.db</c> with <c>….manifest.json</c> beside it. A backup
/// counts once both are there; a copy still being made or checked is a hidden <c>.….partial</c> file, which neither
/// the first-start rule (it looks for <c>*.db</c>) nor <see cref="List"/> mistakes for a backup. One backup at a time
/// per folder (<c>backup.lock</c>).
/// </summary>
public static class BackupFolder
{
    public const string Prefix = "safestream-backup-";
    public const string ManifestSuffix = ".manifest.json";
    private const string PartialSuffix = ".partial";

    public static string NameFor(DateTimeOffset startedAt) =>
        Prefix + startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "Z.db";

    public static string ManifestFor(string backupFile) => Path.ChangeExtension(backupFile, null) + ManifestSuffix;

    public static string PartialFor(string backupFile) =>
        Path.Combine(Path.GetDirectoryName(backupFile)!, "." + Path.GetFileName(backupFile) + PartialSuffix);

    /// <summary>The checked backups in <paramref name="folder"/>, newest first (a manifest whose file is gone is not one).</summary>
    public static IReadOnlyList<BackupEntry> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var entries = new List<BackupEntry>();
        foreach (var manifestPath in Directory.EnumerateFiles(folder, Prefix + "*" + ManifestSuffix))
        {
            BackupManifest manifest;
            try
            {
                manifest = BackupManifest.Read(manifestPath);
            }
            catch (Exception ex) when (ex is CorruptFileException or IOException)
            {
                continue; // not ours to judge here; `check` and `restore` say what is wrong with it
            }

            var file = Path.Combine(folder, manifest.File);
            if (File.Exists(file))
            {
                entries.Add(new BackupEntry(file, manifestPath, manifest));
            }
        }

        return [.. entries.OrderByDescending(e => e.Manifest.FinishedAt)];
    }

    public static BackupEntry? Latest(string folder) => List(folder) is [var newest, ..] ? newest : null;

    /// <summary>Deletes all but the newest <paramref name="keep"/> checked backups (file first, then manifest); answers what went.</summary>
    public static IReadOnlyList<string> Prune(string folder, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var removed = new List<string>();
        foreach (var old in List(folder).Skip(keep))
        {
            File.Delete(old.File);
            File.Delete(old.ManifestPath);
            removed.Add(old.File);
        }

        return removed;
    }

    /// <summary>The folder's backup lock, or an error naming the process taking a backup there now.</summary>
    internal static ProcessLease Lock(string folder, TimeProvider time)
    {
        var path = Path.Combine(folder, "backup.lock");
        return ProcessLease.TryAcquire(path, time)
            ?? throw new InvalidOperationException($"another backup is being taken in {folder} ({ProcessLease.Holder(path)}); wait for it to finish");
    }

    /// <summary>Under the lock: copies a killed backup left behind, and their manifests.</summary>
    internal static void RemoveLeftovers(string folder)
    {
        foreach (var partial in Directory.EnumerateFiles(folder, "." + Prefix + "*"))
        {
            File.Delete(partial);
        }
    }
}
