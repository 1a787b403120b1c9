using Npgsql;
using SafeStream.Migrate.Cli;
using SafeStream.Storage;

namespace SafeStream.Migrate.Copy;

/// <summary>
/// The PostgreSQL target's password, kept off the command line (where <c>ps</c> shows it to every local user): from
/// <see cref="Variable"/>, or the first line of standard input with <c>--to-password-stdin</c>. A password inside
/// <c>--to-connection</c> still works, with a warning, so existing scripts go on; giving it twice is refused.
/// </summary>
internal static class TargetPassword
{
    public const string Variable = "SAFESTREAM_TO_PASSWORD";

    public static string Apply(DatabaseProvider provider, string connection, bool fromStdin, ToolConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } variable ? variable : null;
        if (provider != DatabaseProvider.PostgreSQL)
        {
            return fromStdin
                ? throw new ToolException(ExitCodes.Usage, "--to-password-stdin is for a PostgreSQL target; a SQLite file has no password")
                : connection;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException)
        {
            return connection; // the target check names what is wrong with it
        }

        var inline = !string.IsNullOrEmpty(builder.Password);
        var given = fromStdin ? ReadLine(console) : fromEnvironment;
        if (given is null)
        {
            if (inline)
            {
                console.Error.WriteLine($"warning: the password in --to-connection is visible to every local user in the process list; use {Variable} or --to-password-stdin");
            }

            return connection;
        }

        if (inline)
        {
            throw new ToolException(ExitCodes.Usage, $"the target's password is given twice (in --to-connection and {(fromStdin ? "on standard input" : $"in {Variable}")}); give it once");
        }

        builder.Password = given;
        return builder.ConnectionString;
    }

    private static string ReadLine(ToolConsole console) =>
        console.In.ReadLine() is { Length: > 0 } line
            ? line.TrimEnd('\r')
            : throw new ToolException(ExitCodes.Usage, "--to-password-stdin: standard input holds no password (one line expected)");
}
