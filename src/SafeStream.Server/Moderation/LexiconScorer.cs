namespace SafeStream.Server.Moderation;

/// <summary>Placeholder until the lexicon classifier lands (being written now); scores everything 0.</summary>
internal sealed class LexiconScorer : IToxicityScorer
{
    public double Score(string text) => 0;
}
