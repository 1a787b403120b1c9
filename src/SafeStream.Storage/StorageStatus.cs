namespace SafeStream.Storage;

/// <summary>What an operator watches while flipping modes.</summary>
/// <param name="RequestedMode">The mode configuration asks for.</param>
/// <param name="ActiveMode">The mode in force; differs from the requested one while a change is refused.</param>
/// <param name="PendingReason">Why the requested mode is not in force yet, or null.</param>
/// <param name="Breaker">The database circuit breaker: Closed, Open, HalfOpen or Isolated.</param>
/// <param name="JournalBacklog">Journalled records waiting to be replayed into the database.</param>
/// <param name="LastReplayAt">When the replayer last moved records into the database.</param>
/// <param name="LastReplayCount">How many records that replay moved.</param>
/// <param name="ReadingFromFiles">True while reads are answered from the files because the database is down.</param>
/// <param name="DualWriteErrors">Database writes that failed in DualWrite (their records were journalled).</param>
/// <param name="ShadowReads">Database reads made in shadow in DualWrite.</param>
/// <param name="ShadowMismatches">Shadow reads whose answer differed from the files.</param>
/// <param name="IdConflicts">Events not stored because their id was stored already with other content (each one is logged).</param>
/// <param name="LastError">The last storage failure, for the operator.</param>
public sealed record StorageStatus(
    StorageMode RequestedMode,
    StorageMode ActiveMode,
    string? PendingReason,
    string Breaker,
    long JournalBacklog,
    DateTimeOffset? LastReplayAt,
    long LastReplayCount,
    bool ReadingFromFiles,
    long DualWriteErrors,
    long ShadowReads,
    long ShadowMismatches,
    long IdConflicts,
    string? LastError)
{
    /// <summary>Records the replayer moved into the database since this process started.</summary>
    public long ReplayedRecords { get; init; }

    /// <summary>The database engine (<c>Storage:Provider</c>).</summary>
    public DatabaseProvider Provider { get; init; }
}
