using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Moderation;

namespace SafeStream.Server.Tests.Moderation;

public sealed class LexiconTests
{
    [Fact]
    public void BuiltInLexiconParses()
    {
        var lexicon = Lexicon.Parse(("built-in", BuiltInLexicon.Text));

        Assert.True(lexicon.Entries.Count > 100);
    }

    [Theory]
    [InlineData("insult 0.5")]
    [InlineData("rude 0.5 word")]
    [InlineData("insult 1.5 word")]
    [InlineData("insult 0.5 W0rd")]
    [InlineData("insult 0.5 *word* phrase")]
    public void AMalformedLineIsRejectedWithItsSourceAndLine(string line)
    {
        var text = "# comment\ninsult 0.5 fine+\n" + line;

        var error = Assert.Throws<FormatException>(() => Lexicon.Parse(("extra.txt", text)));

        Assert.StartsWith("extra.txt:3:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModerationRegistersOneScorerWithTheExtraLexicon()
    {
        var folder = Directory.CreateTempSubdirectory(nameof(AddModerationRegistersOneScorerWithTheExtraLexicon));
        try
        {
            var path = Path.Combine(folder.FullName, "extra.txt");
            File.WriteAllText(path, "slur 0.9 zorgon+\n");
            using var provider = ServicesWith(path);

            var scorer = provider.GetRequiredService<IToxicityScorer>();

            Assert.Same(scorer, provider.GetRequiredService<IToxicityScorer>());
            Assert.True(scorer.Score("z0rg0ns everywhere") >= 0.9);
            Assert.True(scorer.Score("you idiot") >= 0.6);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddModerationFailsAtStartWhenTheExtraLexiconIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "none.txt");

        var error = Assert.Throws<InvalidOperationException>(() => ServicesWith(missing));

        Assert.Contains(ModerationServiceCollectionExtensions.ExtraLexiconPathKey, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider ServicesWith(string extraLexiconPath)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ModerationServiceCollectionExtensions.ExtraLexiconPathKey] = extraLexiconPath })
            .Build();
        return new ServiceCollection().AddModeration(configuration).BuildServiceProvider();
    }
}
