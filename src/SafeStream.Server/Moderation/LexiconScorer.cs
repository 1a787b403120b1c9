namespace SafeStream.Server.Moderation;

/// <summary>
/// The built-in toxicity classifier: normalises the message (<see cref="NormalizedText"/>), finds lexicon entries on
/// whole words (so "class", "assess" and "scunthorpe" stay clean), adjusts each hit for who it is aimed at and for
/// negation, and combines hits as independent evidence: score = 1 − Π(1 − wᵢ). Deterministic and thread-safe (the
/// lexicon is immutable; scratch buffers are per thread); allocation-free once a thread's buffers have grown.
/// </summary>
internal sealed class LexiconScorer(Lexicon lexicon) : IToxicityScorer
{
    // Tuning, not data: how much being aimed at someone raises a hit, and how much a negation before it lowers it.
    private const double InsultTargetBoost = 0.4;
    private const double ProfanityTargetBoost = 0.25;
    private const double NegationFactor = 0.35;
    private const int TargetWindow = 4;
    private const int NegationWindow = 3;

    // A message of at most this many words that holds an insult noun is the insult itself ("idiot", "what a loser").
    private const int BareInsultWords = 3;
    private const int MaxHits = 16;

    [ThreadStatic]
    private static ScorerScratch? _scratch;

    public LexiconScorer()
        : this(Lexicon.Parse(("built-in lexicon", BuiltInLexicon.Text)))
    {
    }

    public double Score(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var scratch = _scratch ??= new ScorerScratch();
        var words = scratch.Text;
        words.Load(text);
        scratch.MarkRoles();
        var hits = new HitSet(stackalloc Hit[MaxHits]);
        for (var i = 0; i < words.SequenceCount; i++)
        {
            ScoreWord(scratch, words.Sequence[i], inSequence: true, ref hits);
        }

        for (var i = 0; i < words.ExtraCount; i++)
        {
            ScoreWord(scratch, words.Extras[i], inSequence: false, ref hits);
        }

        return hits.Combined();
    }

    private void ScoreWord(ScorerScratch scratch, Word word, bool inSequence, ref HitSet hits)
    {
        var units = scratch.Text.UnitsOf(word);
        var first = units[0].Letter;
        if (IsBenign(units, first))
        {
            return;
        }

        // One word is one piece of evidence: "shithead" is its strongest entry, not shit + shithead.
        var best = new Hit(-1, 0);
        TryStarts(scratch, word, inSequence, lexicon.Anywhere, ref hits, ref best);
        if (first == Unit.EitherIL)
        {
            TryStarts(scratch, word, inSequence, lexicon.StartingWith('i'), ref hits, ref best);
            TryStarts(scratch, word, inSequence, lexicon.StartingWith('l'), ref hits, ref best);
        }
        else
        {
            TryStarts(scratch, word, inSequence, lexicon.StartingWith(first), ref hits, ref best);
        }

        if (best.EntryId >= 0)
        {
            hits.Add(best.EntryId, best.Weight);
        }
    }

    private bool IsBenign(ReadOnlySpan<Unit> units, char first)
    {
        foreach (var start in lexicon.BenignStartingWith(first))
        {
            if (WordMatcher.Matches(units, start.First))
            {
                return true;
            }
        }

        return false;
    }

    private static void TryStarts(ScorerScratch scratch, Word word, bool inSequence, EntryStart[] starts, ref HitSet hits, ref Hit best)
    {
        var units = scratch.Text.UnitsOf(word);
        foreach (var start in starts)
        {
            var (entry, first) = start;
            if (!start.MayMatch(units) || !WordMatcher.Matches(units, first))
            {
                continue;
            }

            if (entry.Words.Length == 1)
            {
                var weight = Adjusted(scratch, entry, word.Position, word.Position);
                best = weight > best.Weight ? new Hit(entry.Id, weight) : best;
            }
            else if (inSequence && TryPhrase(scratch, entry, word.Position, out var end))
            {
                hits.Add(entry.Id, Adjusted(scratch, entry, word.Position, end));
            }
        }
    }

    private static bool TryPhrase(ScorerScratch scratch, LexiconEntry entry, int position, out int end)
    {
        var text = scratch.Text;
        end = position + entry.Words.Length - 1;
        if (end >= text.SequenceCount)
        {
            return false;
        }

        for (var k = 1; k < entry.Words.Length; k++)
        {
            if (!MatchesAny(text.UnitsOf(text.Sequence[position + k]), entry.Words[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static double Adjusted(ScorerScratch scratch, LexiconEntry entry, int start, int end)
    {
        var weight = entry.Weight;
        var bare = scratch.Text.SequenceCount <= BareInsultWords;
        weight = entry.Category switch
        {
            Category.Insult when bare || scratch.TargetedNear(start - TargetWindow, end + TargetWindow) =>
                weight + ((1 - weight) * InsultTargetBoost),
            Category.PutDown when scratch.TargetedNear(start - TargetWindow, start - 1) =>
                weight + ((1 - weight) * InsultTargetBoost),
            Category.Profanity when scratch.TargetedNear(start - TargetWindow + 1, end + TargetWindow - 1) =>
                weight + ((1 - weight) * ProfanityTargetBoost),
            _ => weight,
        };
        var softened = entry.Category is Category.Insult or Category.PutDown or Category.Threat or Category.Harassment;
        return softened && scratch.NegatedBefore(start, NegationWindow) ? weight * NegationFactor : weight;
    }

    private static bool MatchesAny(ReadOnlySpan<Unit> units, PatternWord[] alternatives)
    {
        foreach (var alternative in alternatives)
        {
            if (WordMatcher.Matches(units, alternative))
            {
                return true;
            }
        }

        return false;
    }
}
