namespace SafeStream.Server.Cluster;

/// <summary>Several instances on one PostgreSQL: fan-out of chat, gifts and moderator actions, and viewer counts.</summary>
internal static class ClusterApi
{
    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        services.AddHostedService<ClusterRelay>();
        services.AddSingleton<ClusterPresence>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterPresence>());
        return services;
    }
}
