namespace SafeStream.Migrate.Verify;

/// <summary>One kind of record compared: counts on each side and an order-independent digest of each side's content.</summary>
/// <param name="Kind">users, chat, gifts or admin_actions.</param>
/// <param name="InFiles">Records in the legacy files.</param>
/// <param name="InDatabase">Rows in the database.</param>
/// <param name="Matching">File records present in the database with the same content.</param>
/// <param name="MissingFromDatabase">File records the database lacks (a difference).</param>
/// <param name="Different">File records present in the database with other content (a difference).</param>
/// <param name="DatabaseOnly">Rows with no file record: written by the server in DatabaseFirst or later (not a difference).</param>
/// <param name="Settled">Users whose password conflict was settled for the database's hash (<c>import --conflicts keep-database</c>).</param>
/// <param name="DuplicateKeys">File records that share a key with an earlier one, so the database holds only one of them (a difference).</param>
/// <param name="FilesDigest">SHA-256 over the content of the file records in key order.</param>
/// <param name="DatabaseDigest">The same over the database rows that have a file record; equal to <paramref name="FilesDigest"/> when nothing differs.</param>
/// <param name="Pruned">File records older than the database's retention floor: removed by retention on purpose (not a difference, not compared).</param>
internal sealed record KindComparison(
    string Kind,
    long InFiles,
    long InDatabase,
    long Matching,
    long MissingFromDatabase,
    long Different,
    long DatabaseOnly,
    long Settled,
    long DuplicateKeys,
    string FilesDigest,
    string DatabaseDigest,
    long Pruned = 0)
{
    public bool Clean => MissingFromDatabase == 0 && Different == 0 && DuplicateKeys == 0;
}

/// <summary>One record that differs, or exists on one side only: where it is in the files, and its id in the database.</summary>
/// <param name="Kind">users, chat, gifts or admin_actions.</param>
/// <param name="Problem">missing_from_database, different, duplicate_key or database_only.</param>
internal sealed record Finding(string Kind, string Problem, string? File, long? Line, long? Id, string? Username);

/// <summary>The outcome of <c>verify</c>: clean when no file record is missing from the database or differs there.</summary>
internal sealed record VerifyReport(
    bool Clean,
    IReadOnlyList<KindComparison> Kinds,
    IReadOnlyList<Finding> Differences,
    IReadOnlyList<Finding> DatabaseOnly,
    long RejectedLines,
    long JournalWritesLeft,
    double Seconds);
