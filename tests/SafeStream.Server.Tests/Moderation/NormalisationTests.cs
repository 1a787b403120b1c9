using SafeStream.Server.Moderation;

namespace SafeStream.Server.Tests.Moderation;

/// <summary>Obfuscated spellings score exactly like the plain word.</summary>
public sealed class NormalisationTests
{
    private readonly LexiconScorer _scorer = new();

    [Theory]
    [InlineData("you are an idiot", "y0u 4r3 4n 1d10t")]
    [InlineData("you are an idiot", "YOU ARE AN IDIOT")]
    [InlineData("stupid", "stuuuuupid")]
    [InlineData("you loser", "you looooserrrr")]
    [InlineData("idiot", "i d i o t")]
    [InlineData("idiot", "i.d.i.o.t")]
    [InlineData("you are stupid", "you are s-t-u-p-i-d")]
    [InlineData("you are stupid", "you are st.u.pid")]
    [InlineData("fuck you", "f*ck you")]
    [InlineData("fuck you", "f**k you")]
    [InlineData("fuck you", "fvck you")]
    [InlineData("bitch", "b!tch")]
    [InlineData("asshole", "a$$hole")]
    [InlineData("asshole", "@sshole")]
    [InlineData("dumbass", "dumb@ss")]
    [InlineData("idiot", "ＩＤＩＯＴ")]
    [InlineData("idiot", "\u0456diot")]
    [InlineData("idiot", "i\u200Bdi\u00ADot")]
    [InlineData("stupid idiot", "st\u00FCpid \u00EDdiot")]
    [InlineData("kill yourself", "k1ll yourself")]
    [InlineData("kys", "k y s")]
    public void ObfuscatedSpellingScoresLikeThePlainWord(string plain, string obfuscated)
    {
        var expected = _scorer.Score(plain);

        var actual = _scorer.Score(obfuscated);

        Assert.True(expected >= 0.5, $"'{plain}' should be a hit, scored {expected}");
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("loser1")]
    [InlineData("loser!!!")]
    [InlineData("idiot5")]
    [InlineData("idiots")]
    public void TrailingDecorationAndInflectionsStillMatch(string text)
    {
        var score = _scorer.Score(text);

        Assert.True(score >= 0.6, $"'{text}' scored {score}");
    }

    [Fact]
    public void RepeatedLettersNeverTurnADifferentWordIntoAHit()
    {
        var single = _scorer.Score("as");

        var doubled = _scorer.Score("you asssss");

        Assert.Equal(0, single);
        Assert.True(doubled > 0);
    }

    [Theory]
    [InlineData("*hugs*")]
    [InlineData("$$$ 100% !!!")]
    [InlineData("@streamer gg")]
    [InlineData("3 2 1 go")]
    [InlineData("l33t h4x0r")]
    public void SymbolsOutsideWordsAreNotLetters(string text)
    {
        var score = _scorer.Score(text);

        Assert.Equal(0, score);
    }
}
