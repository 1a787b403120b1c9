using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Cluster;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Modes;

namespace SafeStream.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IStorage"/> (the mode router over the legacy files and the database),
    /// <see cref="IStorageStatus"/>, <see cref="IStorageTools"/>, the <see cref="EventIdGenerator"/> (on a leased instance number), and for a
    /// server the background replayer, which owns the journal. The <c>Storage</c> section is validated at start;
    /// its <c>Mode</c> is applied again whenever configuration reloads. A server also gets the <see cref="IClusterBus"/> to the other instances. A <see cref="StorageRole.Tool"/> (a one-off
    /// command) leases a tool instance number, never creates the database, and never replays the server's journal.
    /// </summary>
    public static IServiceCollection AddSafeStreamStorage(this IServiceCollection services, IConfiguration configuration, StorageRole role = StorageRole.Server)
    {
        services.AddSafeStreamStorageOptions(configuration);
        services.TryAddSingleton(sp => role == StorageRole.Server
            ? InstanceLease.ForServer(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>())
            : InstanceLease.ForTool(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new EventIdGenerator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<InstanceLease>()));
        services.TryAddSingleton(sp => StorageRouter.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<EventIdGenerator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            role));
        services.TryAddSingleton<IStorage>(sp => sp.GetRequiredService<StorageRouter>());
        services.TryAddSingleton<IStorageStatus>(sp => sp.GetRequiredService<StorageRouter>());
        services.TryAddSingleton<IStorageTools>(sp => sp.GetRequiredService<StorageRouter>());
        if (role == StorageRole.Server)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, FirstStartGuard>());
            services.AddHostedService<StorageHostedService>();
            services.TryAddSingleton<IClusterBus>(sp => ClusterBus(sp));
        }

        return services;
    }

    /// <summary>
    /// Only the validated <c>Storage</c> options (with the legacy environment names) and a <see cref="TimeProvider"/>:
    /// for commands that look at the storage from outside (backup, restore, stats, check) and must not lease, journal or open it.
    /// </summary>
    public static IServiceCollection AddSafeStreamStorageOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(options => ApplyLegacyAliases(options, configuration))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, LegacyRetirement>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Fan-out and presence between instances on PostgreSQL; nothing on SQLite.</summary>
    private static IClusterBus ClusterBus(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var instance = services.GetRequiredService<EventIdGenerator>().Instance;
        return options.Provider == DatabaseProvider.PostgreSQL
            ? new PostgresClusterBus(new PostgresDialect(options.ConnectionString, options.Resilience.TimeoutMs).ConnectionString, instance, services.GetRequiredService<ILoggerFactory>().CreateLogger<IClusterBus>())
            : new SingleInstance(instance);
    }

    /// <summary>
    /// The legacy environment names. Like any environment variable they outrank a value from a settings file
    /// (the shipped <c>appsettings.json</c> sets a connection string), and yield to an explicit
    /// <c>Storage__Key</c> variable, a command-line value or one set in code.
    /// </summary>
    private static void ApplyLegacyAliases(StorageOptions options, IConfiguration configuration)
    {
        if (configuration["SAFESTREAM_USERS_FILE"] is { Length: > 0 } usersFile && OnlyFromFiles(configuration, nameof(StorageOptions.UsersFile)))
        {
            options.UsersFile = usersFile;
        }

        if (configuration["DATABASE_URL"] is { Length: > 0 } url && OnlyFromFiles(configuration, nameof(StorageOptions.ConnectionString)))
        {
            (options.Provider, options.ConnectionString) = LegacyDatabaseUrl.Parse(url);
        }
    }

    private static bool OnlyFromFiles(IConfiguration configuration, string name)
    {
        var key = $"{StorageOptions.SectionName}:{name}";
        if (configuration is not IConfigurationRoot root)
        {
            return configuration[key] is null;
        }

        var source = root.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        return source is null or FileConfigurationProvider;
    }
}
