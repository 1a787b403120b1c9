using SafeStream.Server.Admin;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Hosting;

/// <summary>
/// <c>dotnet run --project src/SafeStream.Server -- grant-admin &lt;user&gt;</c> (or <c>revoke-admin</c>): sets the stored
/// admin flag through storage, with the same configuration as the service, and records the action.
/// </summary>
public static class AdminCommand
{
    public static bool Matches(string[] args) => args is ["grant-admin" or "revoke-admin", ..];

    /// <param name="args">The command line.</param>
    /// <param name="settings">Configuration on top of <c>appsettings.json</c> and the environment (tests point it at their own folder).</param>
    public static async Task<int> RunAsync(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: SafeStream.Server grant-admin|revoke-admin <username>");
            return 2;
        }

        var grant = args[0] == "grant-admin";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddLegacyEnvironmentAliases();

        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A tool leases an instance number of its own, never creates the database, and never replays the server's
        // journal; it writes into a journal only when no other process owns it. The host is built, not started.
        builder.Services.AddSafeStreamStorage(builder.Configuration, StorageRole.Tool);
        builder.Services.AddSingleton<AdminLog>();
        using var host = builder.Build();
        try
        {
            await host.Services.GetRequiredService<IStoragePreparation>().PrepareAsync(); // the cold start, held to Storage:Resilience:StartupTimeoutMs

            var storage = host.Services.GetRequiredService<IStorage>();
            if (await storage.UpdateUserAsync(args[1], new UserPatch { IsAdmin = grant }) is null)
            {
                await Console.Error.WriteLineAsync($"No account named '{args[1]}'; register it first.");
                return 1;
            }

            var who = $"cli:{Environment.UserName}";
            await host.Services.GetRequiredService<AdminLog>().RecordAsync(who, grant ? "grant_admin" : "revoke_admin", args[1], null, CancellationToken.None);
            Console.WriteLine(grant ? $"{args[1]} is an admin now." : $"{args[1]} is no longer an admin (unless listed in Admin:Usernames).");
            return 0;
        }
        catch (Exception ex) when (ex is StorageUnavailableException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Storage unavailable: {ex.Message}");
            return 1;
        }
    }
}
