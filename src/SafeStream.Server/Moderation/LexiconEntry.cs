namespace SafeStream.Server.Moderation;

/// <summary>A lexicon line: one word or a phrase; <see cref="Words"/> holds, per position, the alternatives.</summary>
internal sealed record LexiconEntry(int Id, Category Category, double Weight, PatternWord[][] Words);
