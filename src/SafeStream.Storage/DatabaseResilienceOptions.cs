using System.ComponentModel.DataAnnotations;

namespace SafeStream.Storage;

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
