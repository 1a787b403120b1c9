using SafeStream.Server.Moderation;

namespace SafeStream.Bench.Moderation;

/// <summary>
/// The reference a lexicon filter is usually first written as: lower-case the text and look for each listed word as
/// a substring; the score is the heaviest word found. No normalisation, so "1d10t" passes and "class" is "ass".
/// </summary>
internal sealed class NaiveSubstringScorer(Lexicon lexicon)
{
    private readonly (string Word, double Weight)[] _words =
    [
        .. lexicon.Entries
            .Where(e => e.Category != Category.Benign && e.Words.Length == 1)
            .SelectMany(e => e.Words[0].Select(w => (Spell(w), e.Weight))),
    ];

    public double Score(string text)
    {
        var lower = text.ToLowerInvariant();
        var score = 0.0;
        foreach (var (word, weight) in _words)
        {
            if (weight > score && lower.Contains(word, StringComparison.Ordinal))
            {
                score = weight;
            }
        }

        return score;
    }

    private static string Spell(PatternWord word) =>
        string.Concat(word.Units.Select(u => new string(u.Letter, u.Run)));
}
