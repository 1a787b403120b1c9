using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafeStream.Server.Admin;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Cli;

/// <summary>
/// The commands. Each change goes through storage like the service's own (so it applies in every mode), is recorded as
/// an admin action by <c>cli:&lt;OS user&gt;</c>, and takes effect on running servers at once: roles and the active flag
/// are read on every request, and open sockets and feeds are re-checked every <c>Limits:AccountRecheckSeconds</c>.
/// </summary>
internal static class AccountCommands
{
    private const int MaxListed = 10_000;

    public static IEnumerable<Command> Create(CommandRun run)
    {
        yield return ListUsers(run);
        yield return Change(run, "disable", "Disable an account: its tokens stop working at once (they stay revoked), its sockets close", "disable", now => new UserPatch { IsActive = false, TokensValidAfter = now }, u => $"{u} is disabled.");
        yield return Change(run, "enable", "Enable a disabled account again (tokens from before the disable stay revoked: sign in again)", "enable", _ => new UserPatch { IsActive = true }, u => $"{u} is enabled.");
        yield return Change(run, "grant-admin", "Make an account an admin by its stored flag", "grant_admin", _ => new UserPatch { IsAdmin = true }, u => $"{u} is an admin now.");
        yield return Change(run, "revoke-admin", "Take the stored admin flag away (Admin:Usernames may still list the name)", "revoke_admin", _ => new UserPatch { IsAdmin = false }, u => $"{u} is no longer an admin (unless listed in Admin:Usernames).");
        yield return ResetPassword(run);
    }

    private static Option<bool> Json() => new("--json") { Description = "Answer with one JSON document (errors too, on standard error)" };

    private static Argument<string> Username() => new("username") { Description = "The account's username, exactly" };

    private static Command ListUsers(CommandRun run)
    {
        var json = Json();
        var offset = new Option<int>("--offset") { Description = "Skip this many accounts (ordered by username)", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = $"Show at most this many accounts (1-{MaxListed})", DefaultValueFactory = _ => 100 };
        offset.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--offset must be 0 or more"); } });
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > MaxListed) { r.AddError($"--limit must be between 1 and {MaxListed}"); } });
        var command = new Command("list-users", "List accounts as the service sees them in its storage mode, ordered by username") { offset, limit, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), async services =>
        {
            var names = await services.GetRequiredService<IStorageTools>().ListUsernamesAsync(cancellationToken);
            var storage = services.GetRequiredService<IStorage>();
            var page = new List<AccountJson>();
            foreach (var name in names.Skip(parse.GetValue(offset)).Take(parse.GetValue(limit)))
            {
                if (await storage.FindUserAsync(name, cancellationToken) is { } user)
                {
                    page.Add(AccountJson.Of(user));
                }
            }

            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{names.Count} accounts; showing {page.Count} from {parse.GetValue(offset)}");
            foreach (var a in page)
            {
                var (shownName, shownEmail) = (Logging.EscapeControl(a.Username), Logging.EscapeControl(a.Email ?? "")); // one row per account, whatever they hold
                text.Append(CultureInfo.InvariantCulture, $"\n{shownName,-24} {(a.Disabled ? "disabled" : "active"),-9} {(a.Admin ? "admin" : ""),-6} {shownEmail}");
            }

            var document = JsonSerializer.Serialize(new ListJson(names.Count, parse.GetValue(offset), page), OperatorJsonContext.Default.ListJson);
            return new CommandAnswer(true, text.ToString(), document);
        }));
        return command;
    }

    private static Command Change(CommandRun run, string name, string description, string action, Func<DateTimeOffset, UserPatch> patch, Func<string, string> done)
    {
        var json = Json();
        var username = Username();
        var command = new Command(name, description) { username, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), async services =>
        {
            var target = parse.GetValue(username)!;
            if (await services.GetRequiredService<IStorage>().UpdateUserAsync(target, patch(services.GetRequiredService<TimeProvider>().GetUtcNow()), cancellationToken) is not { } user)
            {
                return CommandAnswer.NoSuchAccount(target);
            }

            await services.GetRequiredService<AdminLog>().RecordAsync(Who, action, target, null, cancellationToken);
            return CommandAnswer.Done(done(target), AccountJson.Of(user));
        }));
        return command;
    }

    private static Command ResetPassword(CommandRun run)
    {
        var json = Json();
        var username = Username();
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from the first line of standard input (otherwise one is generated and printed)" };
        var command = new Command("reset-password", "Set a new password; every token issued before stops working") { username, fromStdin, json };
        command.SetAction((parse, cancellationToken) => run.RunAsync(parse.GetValue(json), async services =>
        {
            var target = parse.GetValue(username)!;
            var generated = !parse.GetValue(fromStdin);
            var password = generated ? NewPassword() : await Console.In.ReadLineAsync(cancellationToken) ?? "";
            if (password.Length == 0 || PasswordHasher.IsTooLong(password))
            {
                return CommandAnswer.Failure($"The new password must be 1 to {PasswordHasher.MaxPasswordBytes} bytes.");
            }

            var hash = services.GetRequiredService<PasswordHasher>().Hash(password);
            var patch = new UserPatch { PasswordHash = hash, TokensValidAfter = services.GetRequiredService<TimeProvider>().GetUtcNow() };
            if (await services.GetRequiredService<IStorage>().UpdateUserAsync(target, patch, cancellationToken) is not { } user)
            {
                return CommandAnswer.NoSuchAccount(target);
            }

            await services.GetRequiredService<AdminLog>().RecordAsync(Who, "reset_password", target, null, cancellationToken);
            return CommandAnswer.Done(generated ? $"New password for {target}: {password}" : $"The password of {target} is changed.", AccountJson.Of(user));
        }));
        return command;
    }

    private static string Who => $"cli:{Environment.UserName}";

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
}
