using System.ComponentModel.DataAnnotations;

namespace SafeStream.Storage;

/// <summary>The feature flag of DESIGN.md: where writes go and where reads come from.</summary>
public enum StorageMode
{
    /// <summary>Legacy files only (before phase A).</summary>
    JsonlOnly,

    /// <summary>Files and database; reads from files, the database read in shadow.</summary>
    DualWrite,

    /// <summary>Database, falling back to the files on an outage and replaying later (phase D).</summary>
    DatabaseFirst,

    /// <summary>Database only; a failure reaches the caller (phases E and F).</summary>
    DatabaseOnly,
}

/// <summary>When appended lines are forced to disk (they are always flushed to the OS before an append completes).</summary>
public enum FsyncPolicy
{
    /// <summary>fsync before every append completes (concurrent appends share one fsync).</summary>
    EveryWrite,

    /// <summary>fsync at most every <see cref="StorageOptions.FsyncIntervalMs"/>: survives a process crash, may lose that window on power loss.</summary>
    Interval,
}

/// <summary>SQLite's <c>synchronous</c> pragma for the writer. Normal (with WAL) survives a process crash; Full also survives power loss.</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}

/// <summary>The <c>Storage</c> section of <c>appsettings.json</c>. Only <see cref="Mode"/> is applied while running.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public StorageMode Mode { get; set; } = StorageMode.DatabaseFirst;

    /// <summary>ADO.NET connection string of the SQLite database.</summary>
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
    /// Leased for the life of the process: a second live process with the same number is refused at start.
    /// </summary>
    [Range(0, EventIds.EventIdGenerator.MaxServerInstance)]
    public int InstanceId { get; set; }

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

        foreach (var result in Resilience.Validate())
        {
            yield return result;
        }
    }
}

/// <summary><c>Storage:Resilience</c>: the Polly timeout and circuit breaker around database calls.</summary>
public sealed class DatabaseResilienceOptions
{
    /// <summary>A database call slower than this counts as a failure and the write spills to the journal.</summary>
    public int TimeoutMs { get; set; } = 2000;

    /// <summary>
    /// DatabaseFirst: an append the database has not committed within this is journalled and acknowledged (a late
    /// commit is harmless, the ids make the replay store nothing twice), so an outage costs a message this, not
    /// <see cref="TimeoutMs"/>.
    /// </summary>
    public int AppendBudgetMs { get; set; } = 100;

    /// <summary>SQLite's own wait for a lock held by another connection; kept below <see cref="TimeoutMs"/>.</summary>
    public int BusyTimeoutMs { get; set; } = 1000;

    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 3;

    public int SamplingSeconds { get; set; } = 10;

    /// <summary>
    /// How long the first contact may take (opening the file, creating or migrating the schema, loading usernames):
    /// it happens once, before the service listens, and is not held to <see cref="TimeoutMs"/>.
    /// </summary>
    public int StartupTimeoutMs { get; set; } = 30_000;

    /// <summary>How long the breaker stays open before one trial call may pass.</summary>
    public int BreakSeconds { get; set; } = 2;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (TimeoutMs is < 10 or > 600_000)
        {
            yield return new ValidationResult("Storage:Resilience:TimeoutMs must be between 10 and 600000.");
        }

        if (StartupTimeoutMs is < 100 or > 3_600_000)
        {
            yield return new ValidationResult("Storage:Resilience:StartupTimeoutMs must be between 100 and 3600000.");
        }

        if (AppendBudgetMs < 1 || AppendBudgetMs > TimeoutMs)
        {
            yield return new ValidationResult("Storage:Resilience:AppendBudgetMs must be between 1 and TimeoutMs.");
        }

        if (BusyTimeoutMs < 0 || BusyTimeoutMs >= TimeoutMs)
        {
            yield return new ValidationResult("Storage:Resilience:BusyTimeoutMs must be at least 0 and below TimeoutMs.");
        }

        if (FailureRatio is <= 0 or > 1)
        {
            yield return new ValidationResult("Storage:Resilience:FailureRatio must be in (0, 1].");
        }

        if (MinimumThroughput < 2)
        {
            yield return new ValidationResult("Storage:Resilience:MinimumThroughput must be at least 2.");
        }

        if (SamplingSeconds < 1 || BreakSeconds < 1)
        {
            yield return new ValidationResult("Storage:Resilience:SamplingSeconds and BreakSeconds must be at least 1.");
        }
    }
}
