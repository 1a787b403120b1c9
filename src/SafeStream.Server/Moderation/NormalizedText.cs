using System.Numerics;

namespace SafeStream.Server.Moderation;

/// <summary>
/// A message as words of <see cref="Unit"/>s: case, accents, homoglyphs, leetspeak and repeats folded, separators
/// inside words removed. <see cref="Sequence"/> holds the words in order (phrases, targeting and negation look at
/// neighbours); <see cref="Extras"/> holds alternative readings of the same text that are only matched as single
/// words: words glued across punctuation ("st.u.pid") and mentions read as a word ("@ss").
/// </summary>
internal sealed class NormalizedText
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
        ResolveSymbols(length);
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

    // Pass 2: symbols read as letters only inside words, decided left to right so "a$$" is "ass" and "$$$" is nothing.
    private void ResolveSymbols(int length)
    {
        for (var i = 0; i < length; i++)
        {
            var kind = _kinds[i];
            if (kind is not (CharKind.LeetSymbol or CharKind.Star or CharKind.At))
            {
                continue;
            }

            var before = i > 0 && _kinds[i - 1] is CharKind.Letter or CharKind.LeetDigit;
            var next = i + 1;
            if (kind == CharKind.Star)
            {
                while (next < length && _kinds[next] == CharKind.Star)
                {
                    next++;
                }
            }

            var after = next < length && _kinds[next] is CharKind.Letter or CharKind.LeetDigit or CharKind.LeetSymbol;
            _kinds[i] = (kind, _letters[i]) switch
            {
                (CharKind.Star, _) => before && after ? CharKind.Star : CharKind.Separator,
                (CharKind.At, _) => before ? CharKind.LeetDigit : after ? CharKind.At : CharKind.Separator,
                (_, 'i') => after ? CharKind.LeetDigit : CharKind.Separator,
                (_, 't') => before && after ? CharKind.LeetDigit : CharKind.Separator,
                _ => before || after ? CharKind.LeetDigit : CharKind.Separator,
            };
            if (kind == CharKind.Star && _kinds[i] == CharKind.Separator)
            {
                for (var j = i + 1; j < next; j++)
                {
                    _kinds[j] = CharKind.Separator;
                }

                i = next - 1;
            }
        }
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

    // Pass 4: tokens joined by punctuation alone ("s.t.u.p.i.d", "st-upid") or runs of single letters ("i d i o t").
    private void Glue()
    {
        SequenceCount = 0;
        ExtraCount = 0;
        var i = 0;
        while (i < _tokenCount)
        {
            var end = i + 1;
            var allSingle = _tokens[i].IsSingle;
            while (end < _tokenCount && (!_tokens[end].SpaceBefore || (_tokens[end - 1].IsSingle && _tokens[end].IsSingle)))
            {
                allSingle &= _tokens[end].IsSingle;
                end++;
            }

            var count = end - i;
            if (allSingle && count >= 3)
            {
                AddSequence(GlueTokens(i, end), mention: false);
            }
            else
            {
                var position = SequenceCount;
                for (var t = i; t < end; t++)
                {
                    AddToken(_tokens[t]);
                }

                if (count >= 2)
                {
                    var glued = GlueTokens(i, end);
                    Extras[ExtraCount++] = glued with { Position = position };
                }
            }

            i = end;
        }
    }

    private void AddToken(RawToken token)
    {
        if (!token.Mention)
        {
            AddSequence(new Word(token.Start, token.Length, 0), mention: false);
            return;
        }

        // "@bob" is a mention of bob; "@ss" is "ass". The sequence gets the name, the extras the 'a' reading.
        Extras[ExtraCount++] = new Word(token.Start, token.Length, SequenceCount);
        if (token.Length > 1)
        {
            AddSequence(new Word(token.Start + 1, token.Length - 1, 0), mention: true);
        }
    }

    private void AddSequence(Word word, bool mention)
    {
        Mentions[SequenceCount] = mention;
        Sequence[SequenceCount] = word with { Position = SequenceCount };
        SequenceCount++;
    }

    private Word GlueTokens(int from, int to)
    {
        var start = UnitCount;
        for (var t = from; t < to; t++)
        {
            var token = _tokens[t];
            for (var u = token.Start; u < token.Start + token.Length; u++)
            {
                var unit = Units[u];
                if (UnitCount > start && Units[UnitCount - 1].Letter == unit.Letter)
                {
                    var last = Units[UnitCount - 1];
                    Units[UnitCount - 1] = new Unit(unit.Letter, (byte)Math.Min(last.Run + unit.Run, byte.MaxValue), last.Leet && unit.Leet);
                }
                else
                {
                    Units[UnitCount++] = unit;
                }
            }
        }

        return new Word(start, UnitCount - start, 0);
    }

    private readonly record struct RawToken(int Start, int Length, bool SpaceBefore, bool Mention, bool IsSingle);
}
