using SafeStream.Server.Moderation;

namespace SafeStream.Testing;

/// <summary>
/// A scorer whose verdict a test controls: messages containing <see cref="Marker"/> score <see cref="ToxicScore"/>, others
/// <see cref="CleanScore"/>. A suite that asserts on the numbers picks its own; the server tests assert the defaults.
/// </summary>
public sealed class MarkerScorer(double toxicScore = MarkerScorer.DefaultToxicScore, double cleanScore = MarkerScorer.DefaultCleanScore) : IToxicityScorer
{
    public const string Marker = "toxicword";

    public const double DefaultToxicScore = 0.95;

    public const double DefaultCleanScore = 0.05;

    public double ToxicScore { get; } = toxicScore;

    public double CleanScore { get; } = cleanScore;

    public double Score(string text) => text.Contains(Marker, StringComparison.OrdinalIgnoreCase) ? ToxicScore : CleanScore;
}
