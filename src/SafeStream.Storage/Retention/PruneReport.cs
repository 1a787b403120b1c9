using System.Text.Json.Serialization;

namespace SafeStream.Storage.Retention;

/// <summary>What one retention run removed (or, dry, would remove), per kind.</summary>
/// <param name="DryRun">Nothing was changed; the counts say what a run would remove now.</param>
/// <param name="Enabled">Whether <c>Retention:ChatDays</c> or <c>Retention:GiftDays</c> is set at all.</param>
/// <param name="Mode">The storage mode the run applied to.</param>
/// <param name="At">When the run started.</param>
/// <param name="Kinds">chat, gifts and admin_actions (never pruned).</param>
/// <param name="LogFiles">Legacy log files rewritten or removed (file modes).</param>
/// <param name="Seconds">How long the run took.</param>
/// <param name="RecordId">The id of the admin action by <c>system:retention</c> that records the run (none for a dry run).</param>
public sealed record PruneReport(bool DryRun, bool Enabled, string Mode, DateTimeOffset At, IReadOnlyList<PrunedKind> Kinds, int LogFiles, double Seconds, long? RecordId)
{
    public long Total => Kinds.Sum(k => k.Database + k.LogLines);
}

/// <summary>One kind: the horizon (null: kept forever) and what went below it, in the database and in the legacy logs.</summary>
public sealed record PrunedKind(string Kind, DateTimeOffset? Before, long Database, long LogLines);

/// <summary>The details (JSON) of the admin action that records a run: its counts and horizons.</summary>
public sealed record RunDetails(long Chat, long Gifts, long LogChat, long LogGifts, DateTimeOffset? ChatBefore, DateTimeOffset? GiftsBefore);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PruneReport))]
[JsonSerializable(typeof(RunDetails))]
public sealed partial class RetentionJsonContext : JsonSerializerContext;
