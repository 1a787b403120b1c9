using System.Numerics;

namespace SafeStream.Server.Moderation;

/// <summary>
/// A message as words of <see cref="Unit"/>s: case, accents, homoglyphs, leetspeak and repeats folded, separators
/// inside words removed. <see cref="Sequence"/> holds the words in order (phrases, targeting and negation look at
/// neighbours); <see cref="Extras"/> holds alternative readings of the same text that are only matched as single
/// words: words glued across punctuation ("st.u.pid") and mentions read as a word ("@ss").
/// </summary>
internal sealed partial class NormalizedText
{
    private CharKind[] _kinds = [];
    private char[] _letters = [];
    private RawToken[] _tokens = [];
    private int _tokenCount;

    public Unit[] Units { get; private set; } = [];

    public int UnitCount { get; private set; }

    public Word[] Sequence { get; private set; } = [];

    public int SequenceCount { get; private set; }

    public Word[] Extras { get; private set; } = [];

    public int ExtraCount { get; private set; }

    /// <summary>Sequence positions that are mentions ("@name"): the message is aimed at someone.</summary>
    public bool[] Mentions { get; private set; } = [];

    public ReadOnlySpan<Unit> UnitsOf(Word word) => Units.AsSpan(word.Start, word.Length);

    /// <summary>Reuses this instance's buffers: one instance per thread, no allocation once they are large enough.</summary>
    public void Load(string text)
    {
        EnsureCapacity(text.Length);
        var length = Classify(text);
        SymbolReading.Resolve(_kinds.AsSpan(0, length), _letters);
        Tokenize(length);
        Glue();
    }

    private void EnsureCapacity(int length)
    {
        if (_kinds.Length >= length + 1)
        {
            return;
        }

        var size = Math.Max(256, (int)BitOperations.RoundUpToPowerOf2((uint)length + 1));
        _kinds = new CharKind[size];
        _letters = new char[size];
        _tokens = new RawToken[size];
        Units = new Unit[size * 2];
        Sequence = new Word[size];
        Extras = new Word[size];
        Mentions = new bool[size];
    }

    // Pass 1: what each character is; ignored characters are dropped so "i\u200Bdiot" reads "idiot".
    private int Classify(string text)
    {
        var n = 0;
        foreach (var c in text)
        {
            var kind = CharFolding.Classify(c, out var letter);
            if (kind == CharKind.Ignored)
            {
                continue;
            }

            _kinds[n] = kind;
            _letters[n] = kind == CharKind.Separator && char.IsWhiteSpace(c) ? ' ' : letter;
            n++;
        }

        return n;
    }

    // Pass 3: words of units with repeats collapsed; remembers whether a space or only punctuation came before each.
    private void Tokenize(int length)
    {
        UnitCount = 0;
        _tokenCount = 0;
        var start = -1;
        var spaceBefore = true;
        var hasLetter = false;
        var mention = false;
        for (var i = 0; i <= length; i++)
        {
            var kind = i < length ? _kinds[i] : CharKind.Separator;
            if (kind == CharKind.Separator)
            {
                if (start >= 0)
                {
                    EndToken(start, spaceBefore, hasLetter, mention);
                    start = -1;
                    spaceBefore = false;
                }

                spaceBefore |= i < length && _letters[i] == ' ';
                continue;
            }

            if (start < 0)
            {
                start = UnitCount;
                hasLetter = false;
                mention = kind == CharKind.At;
            }

            hasLetter |= kind == CharKind.Letter;
            Append(_letters[i], kind != CharKind.Letter, start);
        }
    }

    private void Append(char letter, bool leet, int wordStart)
    {
        if (UnitCount > wordStart && Units[UnitCount - 1].Letter == letter)
        {
            var last = Units[UnitCount - 1];
            Units[UnitCount - 1] = new Unit(letter, (byte)Math.Min(last.Run + 1, byte.MaxValue), last.Leet && leet);
            return;
        }

        Units[UnitCount++] = new Unit(letter, 1, leet);
    }

    private void EndToken(int start, bool spaceBefore, bool hasLetter, bool mention)
    {
        if (!hasLetter)
        {
            // Numbers and symbol runs ("2024", "!!!") are not words.
            UnitCount = start;
            return;
        }

        var length = UnitCount - start;
        var single = length == 1 && Units[start].Run == 1;
        _tokens[_tokenCount++] = new RawToken(start, length, spaceBefore, mention, single);
    }

    private readonly record struct RawToken(int Start, int Length, bool SpaceBefore, bool Mention, bool IsSingle);
}
