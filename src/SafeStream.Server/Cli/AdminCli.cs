using System.CommandLine;
using Microsoft.Extensions.Options;
using SafeStream.Storage;

namespace SafeStream.Server.Cli;

/// <summary>What the admin command line's exit code means (documented in docs/OPERATING.md, "Admin command line"; keep the two in step).</summary>
internal static class AdminExitCodes
{
    public const int Ok = 0;

    /// <summary>No such account, or storage could not do it; the message says which.</summary>
    public const int Failed = 1;

    /// <summary>A bad command line or configuration value.</summary>
    public const int Usage = 2;
}

/// <summary>
/// The operator's account commands on System.CommandLine, as the migration tool's: <c>list-users</c>, <c>disable</c>,
/// <c>enable</c>, <c>reset-password</c>, <c>grant-admin</c>, <c>revoke-admin</c>, and the storage tool <c>prune</c>; each has
/// <c>--help</c> and <c>--json</c>.
/// Storage is prepared only once a command runs, so <c>--help</c> and usage errors touch nothing.
/// </summary>
internal static class AdminCli
{
    public static IReadOnlySet<string> Commands { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "list-users", "disable", "enable", "reset-password", "grant-admin", "revoke-admin", "prune",
        "backup", "restore", "stats", "check", "optimize",
    };

    /// <param name="prepare">Storage ready for the account commands (a tool lease, the database warmed up).</param>
    /// <param name="configure">Only the configuration, for the storage tools, which look at the storage from outside.</param>
    public static async Task<int> RunAsync(string[] args, Func<Task<IHost>> prepare, Func<Task<IHost>> configure, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var run = new CommandRun(prepare, output, error);
        var tools = new CommandRun(configure, output, error);
        var root = new RootCommand("SafeStream account and storage commands, run with the service's configuration (appsettings.json and the environment). Exit codes: 0 done, 1 no such account, storage failed or a check found a problem, 2 usage.");
        foreach (var command in AccountCommands.Create(run).Concat(StorageTools.Create(tools)))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(PruneCommand.Create(run));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"safestream: {Hosting.Logging.EscapeControl(problem.Message)}");
            }

            await error.WriteLineAsync("see: SafeStream.Server <command> --help");
            return AdminExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}

/// <summary>One command's run: storage prepared on demand, the failures an operator can fix turned into one line and an exit code.</summary>
internal sealed class CommandRun(Func<Task<IHost>> prepare, TextWriter output, TextWriter error)
{
    public TextWriter Output => output;

    public async Task<int> RunAsync(bool json, Func<IServiceProvider, Task<CommandAnswer>> action)
    {
        try
        {
            using var host = await prepare();
            var answer = await action(host.Services);
            await (answer.Ok ? output : error).WriteLineAsync(json ? answer.Json : answer.Text);
            return answer.Ok ? AdminExitCodes.Ok : AdminExitCodes.Failed;
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync(json, AdminExitCodes.Usage, $"configuration: {string.Join("; ", ex.Failures)}");
        }
        catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
        {
            return await FailAsync(json, AdminExitCodes.Failed, $"Storage unavailable: {ex.Message}");
        }
    }

    private async Task<int> FailAsync(bool json, int code, string message)
    {
        await error.WriteLineAsync(json ? CommandAnswer.Failure(message).Json : Hosting.Logging.EscapeControl(message));
        return code;
    }
}
