namespace SafeStream.Migrate.Status;

/// <summary>Legacy files of one sort still on disk.</summary>
internal sealed record FilesPresent(string What, string Path, long Count, long Bytes);

/// <summary>Where the deployment stands in the migration, and what to do next.</summary>
internal sealed record StatusReport(
    string Mode,
    string Phase,
    bool LegacyRetired,
    string Database,
    bool DatabaseExists,
    string? SchemaVersion,
    long JournalBacklog,
    IReadOnlyList<FilesPresent> LegacyFiles,
    string NextStep);
