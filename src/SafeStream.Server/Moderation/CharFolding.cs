namespace SafeStream.Server.Moderation;

/// <summary>Case, accent, homoglyph and leetspeak folding of single characters, by table (no allocation, no culture).</summary>
internal static class CharFolding
{
    private const int TableSize = 0x500;

    // Lower-case Latin letters with their look-alikes: accented Latin, Greek and Cyrillic homoglyphs.
    private static readonly string[] LookAlikes =
    [
        "aàáâãäåāăąαа", "bβв", "cçćĉċčс", "dďđ", "eèéêëēĕėęěεеё", "gĝğġģ", "hĥħн", "iìíîïĩīĭįıιії", "jĵј",
        "kķκк", "lĺļľŀł", "mм", "nñńņňŉ", "oòóôõöøōŏőοо", "pρр", "rŕŗř", "sśŝşšſѕ", "tţťŧτт", "uùúûüũūŭůűųυ",
        "vν", "wŵ", "xχх", "yýÿŷу", "zźżž",
    ];

    private static readonly char[] Table = BuildTable();

    public static CharKind Classify(char c, out char letter)
    {
        letter = '\0';
        switch (c)
        {
            case >= 'a' and <= 'z':
                letter = c;
                return CharKind.Letter;
            case >= 'A' and <= 'Z':
                letter = (char)(c + 32);
                return CharKind.Letter;
            case '0': letter = 'o'; return CharKind.LeetDigit;
            case '1': letter = Unit.EitherIL; return CharKind.LeetDigit;
            case '3': letter = 'e'; return CharKind.LeetDigit;
            case '4': letter = 'a'; return CharKind.LeetDigit;
            case '5': letter = 's'; return CharKind.LeetDigit;
            case '7': letter = 't'; return CharKind.LeetDigit;
            case '8': letter = 'b'; return CharKind.LeetDigit;
            case '9': letter = 'g'; return CharKind.LeetDigit;
            case '$': letter = 's'; return CharKind.LeetSymbol;
            case '!' or '¡': letter = 'i'; return CharKind.LeetSymbol;
            case '|': letter = Unit.EitherIL; return CharKind.LeetSymbol;
            case '+': letter = 't'; return CharKind.LeetSymbol;
            case '€': letter = 'e'; return CharKind.LeetSymbol;
            case '@': letter = 'a'; return CharKind.At;
            case '*': letter = Unit.Wildcard; return CharKind.Star;
            case '\u00AD' or (>= '\u200B' and <= '\u200F') or '\u2060' or '\uFEFF' or (>= '\u0300' and <= '\u036F'):
                return CharKind.Ignored;
            case >= '\uFF21' and <= '\uFF3A':
                letter = (char)(c - '\uFF21' + 'a');
                return CharKind.Letter;
            case >= '\uFF41' and <= '\uFF5A':
                letter = (char)(c - '\uFF41' + 'a');
                return CharKind.Letter;
            case < (char)TableSize when Table[c] != '\0':
                letter = Table[c];
                return CharKind.Letter;
            default:
                if (!char.IsLetter(c))
                {
                    return CharKind.Separator;
                }

                // Other scripts stay letters (they never match the Latin lexicon but must not split words).
                letter = char.ToLowerInvariant(c);
                return CharKind.Letter;
        }
    }

    private static char[] BuildTable()
    {
        var table = new char[TableSize];
        foreach (var group in LookAlikes)
        {
            foreach (var c in group)
            {
                table[c] = group[0];
                var upper = char.ToUpperInvariant(c);
                if (upper < TableSize && table[upper] == '\0')
                {
                    table[upper] = group[0];
                }
            }
        }

        return table;
    }
}
