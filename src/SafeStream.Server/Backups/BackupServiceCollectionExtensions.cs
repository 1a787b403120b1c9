namespace SafeStream.Server.Backups;

internal static class BackupServiceCollectionExtensions
{
    /// <summary>The <c>Backup</c> options (validated at start) and the server's scheduled backups.</summary>
    public static IServiceCollection AddScheduledBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBackupOptions(configuration);
        services.AddSingleton<ScheduledBackups>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackups>());
        services.AddStorageFigures();
        return services;
    }

    /// <summary>Only the options: the admin commands' share.</summary>
    public static IServiceCollection AddBackupOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
