using SafeStream.Server.Admin;
using SafeStream.Server.Auth;
using SafeStream.Server.Backups;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Retention;

namespace SafeStream.Server.Cli;

/// <summary>
/// <c>dotnet run --project src/SafeStream.Server -- &lt;command&gt;</c>: the operator's account commands (see
/// <see cref="AdminCli"/>), with the same configuration as the service. This class only gets storage ready for them.
/// </summary>
internal static class AdminCommand
{
    public static bool Matches(string[] args) => args is [var first, ..] && (AdminCli.Commands.Contains(first) || first is "--help" or "-h" or "-?");

    /// <param name="args">The command line.</param>
    /// <param name="settings">Configuration on top of <c>appsettings.json</c> and the environment (tests point it at their own folder).</param>
    /// <param name="output">Where answers go (standard output by default).</param>
    /// <param name="error">Where errors go (standard error by default).</param>
    public static Task<int> RunAsync(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null, TextWriter? output = null, TextWriter? error = null) =>
        AdminCli.RunAsync(args, () => PrepareStorageAsync(settings), () => Task.FromResult(Configure(settings)), output ?? Console.Out, error ?? Console.Error);

    /// <summary>The configuration alone (validated <c>Storage</c> and <c>Backup</c> options): the storage tools open what they need themselves.</summary>
    internal static IHost Configure(IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddLegacyEnvironmentAliases();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSafeStreamStorageOptions(builder.Configuration);
        builder.Services.AddBackupOptions(builder.Configuration);
        return builder.Build();
    }

    /// <summary>The server's environment name: <c>ASPNETCORE_ENVIRONMENT</c>, else <c>DOTNET_ENVIRONMENT</c>, else Production.</summary>
    public static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } web ? web
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : Environments.Production;

    /// <summary>
    /// Everything the commands need from storage, ready: the host is built (not started: the running server owns the
    /// journal and its replay, a one-off command must not replay it too) and the database warmed up.
    /// </summary>
    internal static async Task<IHost> PrepareStorageAsync(IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        // The environment as the server's WebApplication reads it (ASPNETCORE_ENVIRONMENT, else DOTNET_ENVIRONMENT), so
        // appsettings.{Environment}.json points the command at the server's database, not another.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = EnvironmentName() });
        builder.Configuration.AddLegacyEnvironmentAliases();

        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A tool leases an instance number of its own, never creates the database, and never replays the server's
        // journal; it writes into a journal only when no other process owns it. The host is built, not started.
        builder.Services.AddSafeStreamStorage(builder.Configuration, StorageRole.Tool);
        builder.Services.AddSafeStreamRetention(builder.Configuration, StorageRole.Tool);
        builder.Services.AddSingleton<AdminLog>();
        builder.Services.AddOptions<PasswordOptions>().Bind(builder.Configuration.GetSection(PasswordOptions.SectionName)).ValidateDataAnnotations();
        builder.Services.AddSingleton<PasswordHasher>();

        var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<IStorageTools>().PrepareAsync(); // the cold start, held to Storage:Resilience:StartupTimeoutMs

            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
