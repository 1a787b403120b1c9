using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Modes;

namespace SafeStream.Storage.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="Pruner"/> over the storage of <c>AddSafeStreamStorage</c> (call that first), with the
    /// <c>Retention</c> section validated at start; a <see cref="StorageRole.Server"/> also runs it daily at
    /// <c>Retention:RunAtUtc</c>.
    /// </summary>
    public static IServiceCollection AddSafeStreamRetention(this IServiceCollection services, IConfiguration configuration, StorageRole role = StorageRole.Server)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new Pruner(
            sp.GetRequiredService<StorageRouter>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<IOptionsMonitor<RetentionOptions>>(),
            sp.GetRequiredService<EventIdGenerator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Pruner>>()));
        if (role == StorageRole.Server)
        {
            services.AddHostedService<RetentionScheduler>();
        }

        return services;
    }
}
