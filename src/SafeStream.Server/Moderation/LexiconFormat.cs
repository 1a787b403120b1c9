using System.Globalization;

namespace SafeStream.Server.Moderation;

/// <summary>
/// The lexicon's text format, one entry per line: <c>category weight pattern</c>, blank lines and <c># comments</c>
/// skipped (the pattern syntax is described on <see cref="BuiltInLexicon"/>).
/// </summary>
internal static class LexiconFormat
{
    /// <summary>The entries of lexicon texts, numbered in order; a bad line throws naming its source and line.</summary>
    public static List<LexiconEntry> ParseEntries(IEnumerable<(string Source, string Text)> sources)
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

        return entries;
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
