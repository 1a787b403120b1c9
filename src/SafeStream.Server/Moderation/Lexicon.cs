using System.Globalization;

namespace SafeStream.Server.Moderation;

internal enum Category
{
    Profanity,
    Insult,
    PutDown,
    Slur,
    Threat,
    Harassment,
    Benign,
}

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

/// <summary>A lexicon line: one word or a phrase; <see cref="Words"/> holds, per position, the alternatives.</summary>
internal sealed record LexiconEntry(int Id, Category Category, double Weight, PatternWord[][] Words);

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
    public static Lexicon Parse(params IEnumerable<(string Source, string Text)> sources)
    {
        var entries = new List<LexiconEntry>();
        foreach (var (source, text) in sources)
        {
            var lineNumber = 0;
            foreach (var rawLine in text.Split('\n'))
            {
                lineNumber++;
                var line = rawLine.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                try
                {
                    entries.Add(ParseLine(entries.Count, line));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{source}:{lineNumber}: {e.Message} in \"{line}\"", e);
                }
            }
        }

        return new Lexicon(entries);
    }

    /// <summary>A pattern word: letters a–z with an ending marker (<c>+ ! *</c>, or <c>*…*</c>); none means exact.</summary>
    public static PatternWord ParseWord(string spec)
    {
        var ending = Ending.Exact;
        var letters = spec;
        if (spec.Length > 2 && spec[0] == '*' && spec[^1] == '*')
        {
            (ending, letters) = (Ending.Anywhere, spec[1..^1]);
        }
        else if (spec.Length > 1 && spec[^1] is '+' or '!' or '*')
        {
            ending = spec[^1] switch { '+' => Ending.Inflected, '!' => Ending.Plural, _ => Ending.Any };
            letters = spec[..^1];
        }

        var units = new List<Unit>();
        foreach (var c in letters)
        {
            if (c is < 'a' or > 'z')
            {
                throw new FormatException($"'{spec}' must be lower-case letters a-z with an optional ending marker");
            }

            if (units.Count > 0 && units[^1].Letter == c)
            {
                units[^1] = units[^1] with { Run = 2 };
            }
            else
            {
                units.Add(new Unit(c, 1, Leet: false));
            }
        }

        if (units.Count == 0)
        {
            throw new FormatException($"'{spec}' has no letters");
        }

        return new PatternWord([.. units], ending);
    }

    private static EntryStart[][] ByFirstLetter(IEnumerable<EntryStart> starts)
    {
        var buckets = Enumerable.Range(0, 26).Select(_ => new List<EntryStart>()).ToArray();
        foreach (var start in starts)
        {
            buckets[start.First.Units[0].Letter - 'a'].Add(start);
        }

        return [.. buckets.Select(b => b.ToArray())];
    }

    private static LexiconEntry ParseLine(int id, string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            throw new FormatException("expected: category weight pattern");
        }

        if (!Enum.TryParse<Category>(parts[0], ignoreCase: true, out var category) || !Enum.IsDefined(category))
        {
            throw new FormatException($"unknown category '{parts[0]}'");
        }

        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > 1)
        {
            throw new FormatException($"weight '{parts[1]}' is not a number in [0, 1]");
        }

        var words = parts[2..].Select(p => p.Split('|').Select(ParseWord).ToArray()).ToArray();
        if (words.Length > 1 && words[0].Any(w => w.Ending == Ending.Anywhere))
        {
            throw new FormatException("a phrase cannot start with an *anywhere* word");
        }

        return new LexiconEntry(id, category, weight, words);
    }
}
