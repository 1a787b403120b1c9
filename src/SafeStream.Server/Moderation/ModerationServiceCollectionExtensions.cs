namespace SafeStream.Server.Moderation;

public static class ModerationServiceCollectionExtensions
{
    /// <summary>Registers the built-in <see cref="IToxicityScorer"/>.</summary>
    public static IServiceCollection AddModeration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IToxicityScorer, LexiconScorer>();
        return services;
    }
}
