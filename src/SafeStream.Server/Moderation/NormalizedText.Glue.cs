namespace SafeStream.Server.Moderation;

// Pass 4: the words in order (Sequence), and the alternative readings beside them (Extras).
internal sealed partial class NormalizedText
{
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
}
