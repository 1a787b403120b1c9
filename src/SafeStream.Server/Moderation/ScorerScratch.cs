namespace SafeStream.Server.Moderation;

/// <summary>Per-thread buffers: the normalised text and, per word, whether it addresses someone or negates.</summary>
internal sealed class ScorerScratch
{
    private static readonly WordSet SecondPerson = new("you u ya yu ur your youre yourself yall yourselves thou");
    private static readonly WordSet Negations = new("not never dont doesnt didnt isnt arent wasnt werent wont cant cannot aint hardly");

    private bool[] _targets = [];
    private bool[] _negations = [];

    public NormalizedText Text { get; } = new();

    public void MarkRoles()
    {
        var count = Text.SequenceCount;
        if (_targets.Length < count)
        {
            _targets = new bool[Text.Sequence.Length];
            _negations = new bool[Text.Sequence.Length];
        }

        for (var i = 0; i < count; i++)
        {
            var units = Text.UnitsOf(Text.Sequence[i]);
            _targets[i] = Text.Mentions[i] || SecondPerson.Contains(units);

            // "don't" arrives as "don" + "t".
            _negations[i] = Negations.Contains(units)
                || (units is [{ Letter: 't', Run: 1 }] && i > 0 && Text.UnitsOf(Text.Sequence[i - 1])[^1].Letter == 'n');
        }
    }

    public bool TargetedNear(int from, int to) => Any(_targets, from, to);

    public bool NegatedBefore(int position, int window) => Any(_negations, position - window, position - 1);

    private bool Any(bool[] flags, int from, int to)
    {
        to = Math.Min(to, Text.SequenceCount - 1);
        for (var i = Math.Max(from, 0); i <= to; i++)
        {
            if (flags[i])
            {
                return true;
            }
        }

        return false;
    }
}
