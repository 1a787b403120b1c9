namespace SafeStream.Migrate.Cli;

/// <summary>
/// What the tool's exit code means, so a script can tell "done" from "done, but look at this" from "failed".
/// Documented in MIGRATION.md; keep the two in step.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed (I/O, database, a corrupt users.json); the message names it. Safe to run again.</summary>
    public const int Failed = 1;

    /// <summary>A bad flag or configuration value.</summary>
    public const int Usage = 2;

    /// <summary>Import finished; some lines were rejected (see the rejects file).</summary>
    public const int Rejected = 3;

    /// <summary>Import finished; some users conflict with the database and were left as they are.</summary>
    public const int Conflicts = 4;

    /// <summary>Import finished with both rejects and conflicts.</summary>
    public const int RejectedAndConflicts = 5;

    /// <summary>Verify found a difference (also: archive refused because verify is not clean; copy-database left the two databases unequal).</summary>
    public const int Differences = 6;

    /// <summary>Another import, archive, export or copy holds the lock on this database.</summary>
    public const int Locked = 7;

    /// <summary>Archive, export or copy-database refused: the deployment is not ready for it (mode, journal backlog).</summary>
    public const int NotReady = 8;

    /// <summary>Interrupted (Ctrl+C); what was committed stays, and a new run continues.</summary>
    public const int Cancelled = 130;
}
