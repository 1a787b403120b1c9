using System.Security.Cryptography;
using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Backups;

/// <summary>A backup taken: the file, its manifest's path, and the manifest.</summary>
public sealed record BackupTaken(string File, string ManifestPath, BackupManifest Manifest);

/// <summary>The copy failed its check; nothing that looks like a backup was left.</summary>
public sealed class BackupCheckFailedException(string message) : Exception(message);

/// <summary>
/// Takes a backup of the database <paramref name="storage"/> names into <paramref name="folder"/>: a consistent copy
/// (<see cref="Snapshot"/>) written under a hidden temporary name, checked with <c>PRAGMA integrity_check</c>, counted
/// and hashed from the copy itself, then the manifest, then the file renamed into place last. A copy that fails its
/// check, or a run that fails or is killed, leaves no file that looks like a backup (leftovers go at the next run).
/// </summary>
public sealed class BackupWriter(StorageOptions storage, string folder, TimeProvider time)
{
    public async Task<BackupTaken> TakeAsync(string takenBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        using var held = BackupFolder.Lock(full, time);
        BackupFolder.RemoveLeftovers(full);

        var startedAt = time.GetUtcNow();
        var file = Path.Combine(full, BackupFolder.NameFor(startedAt));
        var partial = BackupFolder.PartialFor(file);
        var manifestPath = BackupFolder.ManifestFor(file);
        try
        {
            var sourceSchema = await DatabaseTarget.SchemaVersionAsync(storage, cancellationToken);
            await Snapshot.WriteAsync(storage, partial, time, cancellationToken);
            var manifest = await DescribeAsync(partial, Path.GetFileName(file), startedAt, sourceSchema, takenBy, cancellationToken);
            AtomicFile.Write(manifestPath, manifest.ToUtf8());
            File.Move(partial, file);
            DirectorySync.Flush(full);
            return new BackupTaken(file, manifestPath, manifest);
        }
        catch
        {
            File.Delete(partial);
            if (!File.Exists(file))
            {
                File.Delete(manifestPath);
            }

            throw;
        }
    }

    private async Task<BackupManifest> DescribeAsync(string partial, string name, DateTimeOffset startedAt, string? sourceSchema, string takenBy, CancellationToken cancellationToken)
    {
        Dictionary<string, long> rows;
        long highest;
        string? schema;
        await using (var copy = DatabaseFacts.OpenSqliteFile(partial, readOnly: true))
        {
            if (await DatabaseFacts.SqliteProblemAsync(copy, quick: false, cancellationToken) is { } problem)
            {
                throw new BackupCheckFailedException($"The copy of {DatabaseTarget.Describe(storage)} failed PRAGMA integrity_check ({problem}); it was deleted and no backup was made.");
            }

            rows = await DatabaseFacts.RowsAsync(copy, null, cancellationToken);
            highest = await DatabaseFacts.HighestEventIdAsync(copy, null, cancellationToken);
            schema = await DatabaseFacts.SchemaVersionAsync(copy, null, cancellationToken);
        }

        var (sha, bytes) = await HashAsync(partial, cancellationToken);
        return new BackupManifest
        {
            File = name,
            Provider = storage.Provider.ToString(),
            Source = DatabaseTarget.Describe(storage),
            SchemaVersion = schema,
            SourceSchemaVersion = sourceSchema,
            Sha256 = sha,
            Bytes = bytes,
            Rows = rows,
            HighestEventId = highest,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Check = "PRAGMA integrity_check: ok",
            TakenBy = takenBy,
        };
    }

    /// <summary>The file's SHA-256 (lower-case hex) and length; with <paramref name="flush"/>, forced to disk first.</summary>
    internal static async Task<(string Sha256, long Bytes)> HashAsync(string path, CancellationToken cancellationToken, bool flush = true)
    {
        await using var stream = new FileStream(path, FileMode.Open, flush ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        if (flush)
        {
            stream.Flush(flushToDisk: true);
        }

        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }
}
