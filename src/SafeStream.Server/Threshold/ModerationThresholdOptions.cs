using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Threshold;

/// <summary>The <c>Moderation:Threshold</c> key: the toxicity threshold used until one is stored.</summary>
internal sealed class ModerationThresholdOptions
{
    public const string SectionName = "Moderation";

    /// <summary>Initial toxicity threshold (legacy alias <c>TOXIC_THRESHOLD</c>); a stored value wins.</summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.6;
}
