using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeStream.Storage.Backups;

/// <summary>
/// What a backup holds, written beside it (<c>….manifest.json</c>) once its copy passed the check. The backup is a
/// SQLite file whatever the provider backed up, so it restores into either.
/// </summary>
public sealed record BackupManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>The backup's file name, beside the manifest.</summary>
    public required string File { get; init; }

    /// <summary>The provider of the database that was backed up (the copy itself is always SQLite).</summary>
    public required string Provider { get; init; }

    /// <summary>The database that was backed up: a path, or <c>postgresql://host:port/database</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The latest migration applied to the copy (SQLite's migrations).</summary>
    public string? SchemaVersion { get; init; }

    /// <summary>The latest migration applied to the database that was backed up.</summary>
    public string? SourceSchemaVersion { get; init; }

    public required string Sha256 { get; init; }

    public long Bytes { get; init; }

    /// <summary>Rows per table: users, settings, chat_messages, gifts, admin_actions.</summary>
    public required IReadOnlyDictionary<string, long> Rows { get; init; }

    public long HighestEventId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The check the copy passed before it counted (<c>PRAGMA integrity_check: ok</c>).</summary>
    public required string Check { get; init; }

    /// <summary>Who took it: <c>server</c> (the schedule) or <c>cli:&lt;user&gt;</c>.</summary>
    public string? TakenBy { get; init; }

    public static BackupManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(System.IO.File.ReadAllBytes(path), BackupJsonContext.Default.BackupManifest)
                ?? throw new CorruptFileException(path, "not a backup manifest (null)");
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not a backup manifest ({ex.Message})", ex);
        }
    }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, BackupJsonContext.Default.BackupManifest);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;
