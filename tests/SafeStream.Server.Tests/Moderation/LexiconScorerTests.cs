using SafeStream.Server.Moderation;

namespace SafeStream.Server.Tests.Moderation;

public sealed class LexiconScorerTests
{
    private const double Threshold = 0.6;
    private readonly LexiconScorer _scorer = new();

    [Theory]
    [InlineData("class")]
    [InlineData("assess")]
    [InlineData("assessment")]
    [InlineData("scunthorpe")]
    [InlineData("cocktail")]
    [InlineData("analysis")]
    [InlineData("assassin")]
    [InlineData("passion")]
    [InlineData("classic bass")]
    [InlineData("title")]
    [InlineData("therapist")]
    [InlineData("grape")]
    [InlineData("arsenal")]
    [InlineData("dickens")]
    [InlineData("cockpit")]
    [InlineData("peacock")]
    [InlineData("shiitake")]
    [InlineData("fuchsia")]
    [InlineData("dumbbell")]
    [InlineData("the class assessed the analysis of a cocktail in scunthorpe")]
    public void BenignWordsThatContainBadOnesScoreZero(string text)
    {
        var score = _scorer.Score(text);

        Assert.Equal(0, score);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello chat, gg wp")]
    [InlineData("you killed it!")]
    public void CleanTextScoresZero(string text)
    {
        var score = _scorer.Score(text);

        Assert.Equal(0, score);
    }

    [Fact]
    public void ScoresStayInTheUnitIntervalAndRepeatExactlyForAnyText()
    {
        var random = new Random(20_250_627);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz AEIOU 0134579 @$!|+*.-_' \u200B\u0456\u00FC idiot fuck kill you ";
        var texts = Enumerable.Range(0, 2_000)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 700)).Select(_ => alphabet[random.Next(alphabet.Length)])]))
            .Append(string.Concat(Enumerable.Repeat("idiot fuck kys ", 400)))
            .ToList();

        var scores = texts.Select(_scorer.Score).ToList();

        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Equal(scores, texts.Select(_scorer.Score));
    }

    [Fact]
    public void PutDownsCountOnlyWhenAimedAtSomeone()
    {
        var atGame = _scorer.Score("this lag is so stupid");

        var atPerson = _scorer.Score("you are so stupid");

        Assert.True(atGame < Threshold, $"untargeted scored {atGame}");
        Assert.True(atPerson >= Threshold, $"targeted scored {atPerson}");
    }

    [Fact]
    public void ABareInsultIsAimedAtSomeone()
    {
        var bare = _scorer.Score("what a loser");

        var inPassing = _scorer.Score("the loser bracket starts in five minutes");

        Assert.True(bare >= Threshold, $"bare scored {bare}");
        Assert.True(inPassing < Threshold, $"in passing scored {inPassing}");
    }

    [Fact]
    public void ANegationBeforeAnInsultSoftensIt()
    {
        var insult = _scorer.Score("you are an idiot");

        var negated = _scorer.Score("you are not an idiot");
        var contracted = _scorer.Score("you aren't an idiot");

        Assert.True(insult >= Threshold);
        Assert.True(negated < Threshold, $"negated scored {negated}");
        Assert.True(contracted < Threshold, $"contracted scored {contracted}");
    }

    [Fact]
    public void SeveralHitsScoreHigherThanAnyOneOfThem()
    {
        var single = Math.Max(_scorer.Score("you stupid"), Math.Max(_scorer.Score("you ugly"), _scorer.Score("you loser")));

        var combined = _scorer.Score("you stupid ugly loser");

        Assert.True(combined > single, $"{combined} <= {single}");
    }

    [Fact]
    public void OneWordCountsOnceHoweverOftenItIsRepeated()
    {
        var once = _scorer.Score("idiot");

        var often = _scorer.Score("idiot idiot idiot");

        Assert.Equal(once, often);
    }

    [Theory]
    [InlineData("kill yourself", 0.9)]
    [InlineData("i will kill you", 0.7)]
    [InlineData("i hope you die", 0.85)]
    [InlineData("nobody likes you", 0.65)]
    [InlineData("fuck this game", 0.6)]
    public void ThreatsHarassmentAndStrongProfanityAreToxicAlone(string text, double atLeast)
    {
        var score = _scorer.Score(text);

        Assert.True(score >= atLeast, $"'{text}' scored {score}");
    }

    [Fact]
    public void ALongMessageIsScoredToItsEnd()
    {
        var text = string.Concat(Enumerable.Repeat("what a lovely stream today ", 200)) + "you idiot";

        var score = _scorer.Score(text);

        Assert.True(score >= Threshold, $"scored {score}");
    }

    [Fact]
    public void ConcurrentScoringGivesTheSameScoresAsSequential()
    {
        var texts = LabelledChat.Load().Select(l => l.Text).ToArray();
        var expected = texts.Select(_scorer.Score).ToArray();
        var actual = new double[texts.Length];

        Parallel.For(0, texts.Length * 20, i => actual[i % texts.Length] = _scorer.Score(texts[i % texts.Length]));

        Assert.Equal(expected, actual);
    }
}
