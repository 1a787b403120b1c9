namespace SafeStream.Migrate.Import;

/// <summary>Lines of one kind read from the files, and what became of them in the database.</summary>
/// <param name="NulReplaced">Of those read, lines whose text held U+0000, kept with U+FFFD in its place.</param>
/// <param name="Pruned">Lines older than the retention floor: removed by retention, so not brought back.</param>
internal sealed record KindCounts(string Kind, long Read, long Inserted, long AlreadyPresent, long NulReplaced, long Pruned = 0);

/// <summary>The accounts of users.json and what became of them.</summary>
/// <param name="InFile">Accounts in users.json.</param>
/// <param name="Created">Inserted into the database.</param>
/// <param name="AlreadyPresent">In the database with the same password hash.</param>
/// <param name="Conflicts">In the database with a different hash, left as they are (no <c>--conflicts</c> choice).</param>
/// <param name="KeptDatabase">Conflicts settled for the database's hash (<c>--conflicts keep-database</c>).</param>
/// <param name="TookFile">Conflicts settled for the file's hash (<c>--conflicts take-file</c>).</param>
/// <param name="Conflicting">The conflicting usernames (the first 100).</param>
internal sealed record UserCounts(long InFile, long Created, long AlreadyPresent, long Conflicts, long KeptDatabase, long TookFile, IReadOnlyList<string> Conflicting);

/// <summary>The outcome of one import run, printed as a table or as JSON (<c>--json</c>).</summary>
internal sealed record ImportSummary
{
    public required bool DryRun { get; init; }

    public required bool Completed { get; init; }

    public required UserCounts Users { get; init; }

    public required IReadOnlyList<KindCounts> Events { get; init; }

    public required long Rejected { get; init; }

    /// <summary>Journalled users, patches and settings, left to the server's own replay.</summary>
    public required long JournalWritesLeft { get; init; }

    public string? RejectsFile { get; init; }

    public string? Backup { get; init; }

    public required long Files { get; init; }

    public required long Bytes { get; init; }

    public required long Lines { get; init; }

    public required double Seconds { get; init; }

    public required double LinesPerSecond { get; init; }

    public required long PeakWorkingSetBytes { get; init; }

    public long Inserted => Events.Sum(e => e.Inserted);

    public long AlreadyPresent => Events.Sum(e => e.AlreadyPresent);

    public long NulReplaced => Events.Sum(e => e.NulReplaced);
}
