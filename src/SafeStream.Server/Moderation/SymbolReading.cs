namespace SafeStream.Server.Moderation;

/// <summary>
/// Pass 2 of <see cref="NormalizedText"/>: symbols read as letters only inside words, decided left to right so "a$$" is
/// "ass" and "$$$" is nothing; a run of stars is a wildcard only between letters ("f**k", not "*hugs*").
/// </summary>
internal static class SymbolReading
{
    /// <summary>Turns each symbol of <paramref name="kinds"/> into a letter of its word, or a separator.</summary>
    public static void Resolve(Span<CharKind> kinds, ReadOnlySpan<char> letters)
    {
        var length = kinds.Length;
        for (var i = 0; i < length; i++)
        {
            var kind = kinds[i];
            if (kind is not (CharKind.LeetSymbol or CharKind.Star or CharKind.At))
            {
                continue;
            }

            var before = i > 0 && kinds[i - 1] is CharKind.Letter or CharKind.LeetDigit;
            var next = i + 1;
            if (kind == CharKind.Star)
            {
                while (next < length && kinds[next] == CharKind.Star)
                {
                    next++;
                }
            }

            var after = next < length && kinds[next] is CharKind.Letter or CharKind.LeetDigit or CharKind.LeetSymbol;
            kinds[i] = (kind, letters[i]) switch
            {
                (CharKind.Star, _) => before && after ? CharKind.Star : CharKind.Separator,
                (CharKind.At, _) => before ? CharKind.LeetDigit : after ? CharKind.At : CharKind.Separator,
                (_, 'i') => after ? CharKind.LeetDigit : CharKind.Separator,
                (_, 't') => before && after ? CharKind.LeetDigit : CharKind.Separator,
                _ => before || after ? CharKind.LeetDigit : CharKind.Separator,
            };
            if (kind == CharKind.Star && kinds[i] == CharKind.Separator)
            {
                for (var j = i + 1; j < next; j++)
                {
                    kinds[j] = CharKind.Separator;
                }

                i = next - 1;
            }
        }
    }
}
