namespace SafeStream.Server.Moderation;

/// <summary>Matches one normalised text word against one pattern word.</summary>
internal static class WordMatcher
{
    // Inflections allowed after a "word+" pattern, spelled with repeats capped at two. Deliberately short: every
    // ending added here is a way for a benign word to start with a bad one ("assess" = ass + ess is not allowed).
    private static readonly string[] Inflections = ["s", "z", "es", "ed", "d", "er", "ers", "ing", "y", "ic", "est", "ish"];

    public static bool Matches(ReadOnlySpan<Unit> word, PatternWord pattern)
    {
        if (pattern.Ending != Ending.Anywhere)
        {
            return MatchFrom(word, 0, pattern.Units, 0, pattern.Ending, wildcardLetters: 0);
        }

        var first = pattern.Units[0].Letter;
        for (var start = 0; start < word.Length; start++)
        {
            var letter = word[start].Letter;
            if ((IsSame(letter, first) || letter == Unit.Wildcard) && MatchFrom(word, start, pattern.Units, 0, Ending.Any, wildcardLetters: 0))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsSame(char text, char pattern) =>
        text == pattern || (text == Unit.EitherIL && pattern is 'i' or 'l');

    private static bool MatchFrom(ReadOnlySpan<Unit> word, int wi, ReadOnlySpan<Unit> pattern, int pi, Ending ending, int wildcardLetters)
    {
        while (pi < pattern.Length)
        {
            if (wi >= word.Length)
            {
                return false;
            }

            var unit = word[wi];
            if (unit.Letter == Unit.Wildcard)
            {
                // "f*ck", "f**k", "a**hole": a star run stands for one letter or a few, but never for most of the
                // pattern, so "s*n" cannot become whatever the lexicon needs.
                for (var k = 1; k <= unit.Run + 1 && pi + k <= pattern.Length && 2 * (wildcardLetters + k) <= pattern.Length; k++)
                {
                    if (MatchFrom(word, wi + 1, pattern, pi + k, ending, wildcardLetters + k))
                    {
                        return true;
                    }
                }

                return false;
            }

            var expected = pattern[pi];
            if (!IsSame(unit.Letter, expected.Letter) || unit.Run < expected.Run)
            {
                return false;
            }

            wi++;
            pi++;
        }

        return EndingAllows(word[wi..], ending);
    }

    private static bool EndingAllows(ReadOnlySpan<Unit> rest, Ending ending)
    {
        // Trailing digits and symbols are decoration ("loser1", "idiot5"), not an ending.
        var length = rest.Length;
        while (length > 0 && rest[length - 1].Leet)
        {
            length--;
        }

        rest = rest[..length];
        return ending switch
        {
            Ending.Any or Ending.Anywhere => true,
            Ending.Exact => rest.IsEmpty,
            Ending.Plural => rest.IsEmpty || (rest.Length == 1 && rest[0].Letter is 's' or 'z'),
            _ => rest.IsEmpty || IsInflection(rest),
        };
    }

    private static bool IsInflection(ReadOnlySpan<Unit> rest)
    {
        if (rest.Length > 3)
        {
            return false;
        }

        Span<char> spelled = stackalloc char[6];
        var n = 0;
        foreach (var unit in rest)
        {
            spelled[n++] = unit.Letter;
            if (unit.Run > 1)
            {
                spelled[n++] = unit.Letter;
            }
        }

        foreach (var inflection in Inflections)
        {
            if (spelled[..n].SequenceEqual(inflection))
            {
                return true;
            }
        }

        return false;
    }
}
