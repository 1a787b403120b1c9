using System.ComponentModel.DataAnnotations;

namespace SafeStream.Storage;

/// <summary>The <c>Storage</c> section of <c>appsettings.json</c>. Only <see cref="Mode"/> is applied while running.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public StorageMode Mode { get; set; } = StorageMode.DatabaseFirst;

    /// <summary>The database engine; <c>DATABASE_URL=postgresql://…</c> sets it to PostgreSQL.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>ADO.NET connection string of the database: <c>Data Source=…</c> for SQLite, <c>Host=…;Database=…</c> for PostgreSQL.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/safestream.db";

    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>Folder of the legacy file store: <c>users.json</c>, <c>logs/</c>, and the journal.</summary>
    [Required]
    public string LegacyPath { get; set; } = "legacy";

    /// <summary>Overrides <c>{LegacyPath}/users.json</c> (legacy alias: <c>SAFESTREAM_USERS_FILE</c>).</summary>
    public string? UsersFile { get; set; }

    /// <summary>Overrides <c>{LegacyPath}/logs</c>.</summary>
    public string? LogsPath { get; set; }

    /// <summary>Overrides <c>{LegacyPath}/journal</c>, where writes spill during a database outage. One process owns it while it runs.</summary>
    public string? JournalPath { get; set; }

    /// <summary>Database backups and archives of the migration tool; what is there tells a first start from a database gone missing.</summary>
    [Required]
    public string BackupsPath { get; set; } = "backups";

    /// <summary>
    /// Distinguishes server instances in event ids (0–11; 12–15 are the tools', see <see cref="EventIds.EventIdGenerator.FirstToolInstance"/>).
    /// Leased for the life of the process: a second live process with the same number is refused at start. Unset, a
    /// server takes the first number no live process holds.
    /// </summary>
    [Range(0, EventIds.EventIdGenerator.MaxServerInstance)]
    public int? InstanceId { get; set; }

    public FsyncPolicy Fsync { get; set; } = FsyncPolicy.EveryWrite;

    [Range(1, 60_000)]
    public int FsyncIntervalMs { get; set; } = 50;

    /// <summary>Legacy rotation: a log file is rotated before a write would take it to this size.</summary>
    [Range(1024, long.MaxValue)]
    public long LogMaxBytes { get; set; } = 10 * 1024 * 1024;

    [Range(0, 100)]
    public int LogBackups { get; set; } = 10;

    /// <summary>Phase F: refuse to start while legacy file settings or files exist (with <see cref="StorageMode.DatabaseOnly"/>).</summary>
    public bool LegacyRetired { get; set; }

    /// <summary>The operator's word that a database mode over legacy files with no database yet is meant (MIGRATION.md step 0).</summary>
    public bool StartWithoutImport { get; set; }

    [Required]
    public DatabaseResilienceOptions Resilience { get; set; } = new();

    [Range(1, 100_000)]
    public int ReplayBatchSize { get; set; } = 5000;

    [Range(10, 600_000)]
    public int ReplayIntervalMs { get; set; } = 1000;

    public string ResolvedUsersFile => UsersFile ?? Path.Combine(LegacyPath, "users.json");

    public string ResolvedLogsPath => LogsPath ?? Path.Combine(LegacyPath, "logs");

    public string ResolvedJournalPath => JournalPath ?? Path.Combine(LegacyPath, "journal");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Mode))
        {
            yield return new ValidationResult($"Storage:Mode '{Mode}' is not one of {string.Join(", ", Enum.GetNames<StorageMode>())}.", [nameof(Mode)]);
        }

        if (Database.DatabaseTarget.Problem(Provider, ConnectionString) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(ConnectionString)]);
        }

        foreach (var result in Resilience.Validate())
        {
            yield return result;
        }
    }
}
