using System.ComponentModel.DataAnnotations;
using SafeStream.Storage;

namespace SafeStream.Server.Backups;

/// <summary>The <c>Backup</c> section: where backups go, and the server's schedule.</summary>
internal sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>
    /// The backups folder. Unset, it is <c>Storage:BackupsPath</c> (default <c>backups</c>), the folder the first-start
    /// rule looks in: a backup there tells a server that a missing database existed before, so it is never made anew.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Hours between scheduled backups (the newest checked backup's age decides); 0 turns the schedule off.</summary>
    [Range(0, 24 * 366)]
    public double IntervalHours { get; set; } = 24;

    /// <summary>The newest this many checked backups stay after a scheduled backup; older ones are deleted.</summary>
    [Range(1, 10_000)]
    public int Keep { get; set; } = 7;

    public string ResolvedPath(StorageOptions storage) => Path is { Length: > 0 } path ? path : (storage ?? throw new ArgumentNullException(nameof(storage))).BackupsPath;
}
