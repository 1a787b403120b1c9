namespace SafeStream.Server.Moderation;

internal static class ModerationServiceCollectionExtensions
{
    /// <summary>Configuration key of an optional extra lexicon file (same format as the built-in one), added to it.</summary>
    public const string ExtraLexiconPathKey = "Moderation:ExtraLexiconPath";

    /// <summary>
    /// Registers the built-in <see cref="IToxicityScorer"/>: the lexicon classifier, plus the entries of the file named
    /// by <c>Moderation:ExtraLexiconPath</c> when set. A missing or malformed file fails here, at start-up.
    /// </summary>
    public static IServiceCollection AddModeration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sources = new List<(string Source, string Text)> { ("built-in lexicon", BuiltInLexicon.Text) };
        var extraPath = configuration[ExtraLexiconPathKey];
        if (!string.IsNullOrWhiteSpace(extraPath))
        {
            if (!File.Exists(extraPath))
            {
                throw new InvalidOperationException($"{ExtraLexiconPathKey}: file '{Path.GetFullPath(extraPath)}' not found");
            }

            sources.Add((extraPath, File.ReadAllText(extraPath)));
        }

        var lexicon = Lexicon.Parse(sources);
        services.AddSingleton<IToxicityScorer>(new LexiconScorer(lexicon));
        return services;
    }
}
