namespace SafeStream.Server.Moderation;

/// <summary>
/// One normalised letter of a word with its repeat count, so "stuuupid" is s,t,u×3,p,i,d and still tells "ass" (s×2)
/// from "as". <see cref="Leet"/> marks a letter read from a digit or symbol, which a trailing suffix may ignore
/// ("loser1").
/// </summary>
internal readonly record struct Unit(char Letter, byte Run, bool Leet)
{
    /// <summary>'1' and '|' read as either i or l.</summary>
    public const char EitherIL = '1';

    /// <summary>A censoring '*' inside a word ("f*ck"): stands for one or more letters.</summary>
    public const char Wildcard = '*';
}

/// <summary>A word of the normalised text: its units, and its position among the message's words.</summary>
internal readonly record struct Word(int Start, int Length, int Position);
