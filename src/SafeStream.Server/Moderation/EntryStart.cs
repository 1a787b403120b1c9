namespace SafeStream.Server.Moderation;

/// <summary>One way into an entry: an alternative of its first word.</summary>
internal readonly record struct EntryStart(LexiconEntry Entry, PatternWord First)
{
    /// <summary>The pattern's second letter, or '\0': a one-compare filter before the full match.</summary>
    public char Second { get; } = First.Units.Length > 1 ? First.Units[1].Letter : '\0';

    /// <summary>Whether <paramref name="word"/> could match: most words fail here, on their second unit.</summary>
    public bool MayMatch(ReadOnlySpan<Unit> word)
    {
        if (Second == '\0' || First.Ending == Ending.Anywhere)
        {
            return true;
        }

        return word.Length > 1 && (WordMatcher.IsSame(word[1].Letter, Second) || word[1].Letter == Unit.Wildcard);
    }
}
