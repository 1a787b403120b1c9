namespace SafeStream.Server.Moderation;

/// <summary>How a text word may continue after a pattern word (see <see cref="BuiltInLexicon"/>).</summary>
internal enum Ending
{
    Exact,
    Inflected,
    Plural,
    Any,
    Anywhere,
}

internal sealed record PatternWord(Unit[] Units, Ending Ending);
