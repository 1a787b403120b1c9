using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SafeStream.Server.Backups;
using SafeStream.Storage;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Cli;

/// <summary>
/// The storage tools: <c>backup</c>, <c>restore</c>, <c>stats</c>, <c>check</c>, <c>optimize</c> (one file each). They
/// read the configuration only and open what they need themselves: no instance lease, no journal, no warm-up, so
/// <c>restore</c> can find the storage free and <c>check</c> can look at a database a server would refuse.
/// </summary>
internal static class StorageTools
{
    public static IEnumerable<Command> Create(CommandRun run)
    {
        yield return BackupCommand.Create(run);
        yield return RestoreCommand.Create(run);
        yield return StatsCommand.Create(run);
        yield return CheckCommand.Create(run);
        yield return OptimizeCommand.Create(run);
    }

    public static Option<bool> Json() => new("--json") { Description = "Answer with one JSON document (errors too, on standard error)" };

    public static StorageOptions Storage(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;

    public static string Folder(IServiceProvider services) => services.GetRequiredService<IOptions<BackupOptions>>().Value.ResolvedPath(Storage(services));

    public static string Who => $"cli:{Environment.UserName}";

    /// <summary>Runs a tool; what an operator can act on becomes a one-line failure (exit 1), not a stack trace.</summary>
    public static async Task<CommandAnswer> GuardAsync(Func<Task<CommandAnswer>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is StorageBusyException or BackupRejectedException or RestoreRefusedException or BackupCheckFailedException
            or DatabaseMissingException or InvalidOperationException or DbException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            return CommandAnswer.Failure(ex.Message);
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, typeof(T), StorageToolsJsonContext.Default);
}

internal sealed record BackupJson(string File, BackupManifest Manifest);

internal sealed record CheckJson(bool Ok, IReadOnlyList<CheckItem> Checks);

internal sealed record OptimizeJson(bool Ok, IReadOnlyList<string> Steps);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BackupJson))]
[JsonSerializable(typeof(RestoreReport))]
[JsonSerializable(typeof(StorageStats))]
[JsonSerializable(typeof(CheckJson))]
[JsonSerializable(typeof(OptimizeJson))]
internal sealed partial class StorageToolsJsonContext : JsonSerializerContext;
