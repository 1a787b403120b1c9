namespace SafeStream.Server.Moderation;

/// <summary>A few exact words (pronouns, negations), looked up by first letter.</summary>
internal sealed class WordSet
{
    private readonly PatternWord[][] _byFirstLetter;

    public WordSet(string words)
    {
        var parsed = words.Split(' ').Select(LexiconFormat.ParseWord).ToList();
        _byFirstLetter = [.. Enumerable.Range('a', 26).Select(c => parsed.Where(w => w.Units[0].Letter == c).ToArray())];
    }

    public bool Contains(ReadOnlySpan<Unit> units)
    {
        var first = units[0].Letter;
        if (first is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var word in _byFirstLetter[first - 'a'])
        {
            if (word.Units.Length == units.Length && WordMatcher.Matches(units, word))
            {
                return true;
            }
        }

        return false;
    }
}
