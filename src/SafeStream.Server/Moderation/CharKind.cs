namespace SafeStream.Server.Moderation;

/// <summary>What one input character is to the normaliser, and the letter it stands for.</summary>
internal enum CharKind : byte
{
    /// <summary>Whitespace and punctuation that ends a word.</summary>
    Separator,

    /// <summary>Zero-width and combining characters, dropped as if absent ("i\u200Bdiot").</summary>
    Ignored,

    Letter,

    /// <summary>A digit that reads as a letter ("1d10t"); always part of a word.</summary>
    LeetDigit,

    /// <summary>A symbol that reads as a letter only next to letters ("$tupid", "b!tch"); else a separator.</summary>
    LeetSymbol,

    /// <summary>'*', a wildcard inside a word ("f**k"), else a separator ("*hugs*").</summary>
    Star,

    /// <summary>'@' starting a word: a mention of someone, or an 'a' ("@ss").</summary>
    At,
}
