namespace SafeStream.Server.Moderation;

/// <summary>The parsed lexicon, indexed by first letter so a word is tried against a handful of entries.</summary>
internal sealed class Lexicon
{
    private readonly EntryStart[][] _byFirstLetter;
    private readonly EntryStart[][] _benignByFirstLetter;

    private Lexicon(IReadOnlyList<LexiconEntry> entries)
    {
        Entries = entries;
        var starts = entries.SelectMany(e => e.Words[0].Select(first => new EntryStart(e, first))).ToList();
        Anywhere = [.. starts.Where(s => s.First.Ending == Ending.Anywhere)];
        var atStart = starts.Where(s => s.First.Ending != Ending.Anywhere).ToList();
        _byFirstLetter = ByFirstLetter(atStart.Where(s => s.Entry.Category != Category.Benign));
        _benignByFirstLetter = ByFirstLetter(atStart.Where(s => s.Entry.Category == Category.Benign));
    }

    public IReadOnlyList<LexiconEntry> Entries { get; }

    /// <summary>Entries whose first word may occur inside a text word rather than at its start ("bullshit").</summary>
    public EntryStart[] Anywhere { get; }

    /// <summary>Entries (not benign ones) whose first word starts with <paramref name="letter"/>.</summary>
    public EntryStart[] StartingWith(char letter) =>
        letter is >= 'a' and <= 'z' ? _byFirstLetter[letter - 'a'] : [];

    /// <summary>Benign words starting with <paramref name="letter"/>: a word that is one of them scores nothing.</summary>
    public EntryStart[] BenignStartingWith(char letter) =>
        letter is >= 'a' and <= 'z' ? _benignByFirstLetter[letter - 'a'] : [];

    /// <summary>Parses lexicon texts (the built-in one, then any extra); a bad line throws naming its source and line.</summary>
    public static Lexicon Parse(params IEnumerable<(string Source, string Text)> sources) => new(LexiconFormat.ParseEntries(sources));

    private static EntryStart[][] ByFirstLetter(IEnumerable<EntryStart> starts)
    {
        var buckets = Enumerable.Range(0, 26).Select(_ => new List<EntryStart>()).ToArray();
        foreach (var start in starts)
        {
            buckets[start.First.Units[0].Letter - 'a'].Add(start);
        }

        return [.. buckets.Select(b => b.ToArray())];
    }
}
