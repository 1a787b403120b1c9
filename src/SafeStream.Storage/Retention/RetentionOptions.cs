using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace SafeStream.Storage.Retention;

/// <summary>
/// The <c>Retention</c> section: how long chat and gifts are kept (0 keeps them forever, the default), when the daily
/// run starts, and how gently it deletes. Admin actions are the audit trail and are never pruned.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Chat messages older than this many days are pruned; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int ChatDays { get; set; }

    /// <summary>Gifts older than this many days are pruned; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int GiftDays { get; set; }

    /// <summary>The UTC time of day of the daily run, <c>HH:mm</c>.</summary>
    [Required]
    [RegularExpression(@"^([01][0-9]|2[0-3]):[0-5][0-9]$", ErrorMessage = "Retention:RunAtUtc must be a UTC time of day as HH:mm, e.g. 03:30.")]
    public string RunAtUtc { get; set; } = "03:30";

    /// <summary>
    /// Rows deleted per statement at most (each a short transaction the chat writer waits for at most once); a batch
    /// that holds the writer up longer than 20 ms is halved for the next, down to 100 rows.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 3000;

    /// <summary>The pause between two batches, which leaves the database to the chat writer.</summary>
    [Range(0, 60_000)]
    public int PauseMs { get; set; } = 100;

    /// <summary>Whether anything ages out at all.</summary>
    public bool Enabled => ChatDays > 0 || GiftDays > 0;

    public TimeOnly RunAt => TimeOnly.ParseExact(RunAtUtc, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>What a run at <paramref name="now"/> removes: events older than these instants (null: that kind is kept).</summary>
    public RetentionFloor HorizonAt(DateTimeOffset now) => new(
        ChatDays > 0 ? Model.Micros.Truncate(now.AddDays(-ChatDays)) : null,
        GiftDays > 0 ? Model.Micros.Truncate(now.AddDays(-GiftDays)) : null);

    /// <summary>The first scheduled run strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextRunAfter(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(DateOnly.FromDateTime(utc.UtcDateTime).ToDateTime(RunAt), TimeSpan.Zero);
        return today > utc ? today : today.AddDays(1);
    }
}
