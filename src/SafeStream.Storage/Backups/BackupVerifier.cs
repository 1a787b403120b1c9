using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Database;

namespace SafeStream.Storage.Backups;

/// <summary>A backup that must not be restored: the message says what is wrong with it. Nothing was moved.</summary>
public sealed class BackupRejectedException(string message) : Exception(message);

/// <summary>
/// What <c>restore</c> checks before it moves anything: the manifest beside the file, the file's SHA-256 and length
/// against it (a changed byte anywhere is found here), <c>PRAGMA integrity_check</c> on the file, and a schema this
/// build knows.
/// </summary>
internal static class BackupVerifier
{
    public static async Task<BackupManifest> VerifyAsync(string file, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(file);
        if (!File.Exists(full))
        {
            throw new BackupRejectedException($"{full} does not exist.");
        }

        var manifestPath = BackupFolder.ManifestFor(full);
        if (!File.Exists(manifestPath))
        {
            throw new BackupRejectedException($"{full} has no manifest beside it ({Path.GetFileName(manifestPath)}): only a checked backup, copied with its manifest, is restored.");
        }

        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.Read(manifestPath);
        }
        catch (CorruptFileException ex)
        {
            throw new BackupRejectedException(ex.Message);
        }

        var (sha, bytes) = await BackupWriter.HashAsync(full, cancellationToken, flush: false);
        if (bytes != manifest.Bytes || !string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupRejectedException(
                $"{full} is not the file its manifest describes: SHA-256 {sha} ({bytes} bytes), the manifest says {manifest.Sha256} ({manifest.Bytes} bytes). It was changed or damaged after the backup; use another backup.");
        }

        await using (var connection = DatabaseFacts.OpenSqliteFile(full, readOnly: true))
        {
            if (await DatabaseFacts.SqliteProblemAsync(connection, quick: false, cancellationToken) is { } problem)
            {
                throw new BackupRejectedException($"{full} fails PRAGMA integrity_check: {problem}");
            }
        }

        var known = KnownSqliteMigrations();
        if (manifest.SchemaVersion is not { } version || !known.Contains(version))
        {
            throw new BackupRejectedException($"{full} has schema version {manifest.SchemaVersion ?? "(none)"}, which this build of SafeStream does not know (latest known: {known[^1]}); restore it with the version that made it.");
        }

        return manifest;
    }

    internal static IReadOnlyList<string> KnownSqliteMigrations()
    {
        using var context = SqlDialects.For(new StorageOptions { ConnectionString = "Data Source=unused.db" }).CreateContext(create: false);
        return [.. context.Database.GetMigrations()];
    }
}
