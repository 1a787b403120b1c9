using SafeStream.Server.Moderation;

namespace SafeStream.Browser.Tests.Support;

/// <summary>A scorer whose verdict a test controls: messages containing <see cref="Marker"/> score 0.93, others 0.04.</summary>
public sealed class MarkerScorer : IToxicityScorer
{
    public const string Marker = "toxicword";

    public const double ToxicScore = 0.93;

    public double Score(string text) => text.Contains(Marker, StringComparison.OrdinalIgnoreCase) ? ToxicScore : 0.04;
}
