using System.Diagnostics;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// An outage as an operator meets one: another process (the <c>sqlite3</c> shell, <c>psql</c>) holds the database's
/// write lock in an open transaction; reads go on, writes wait until they time out. Released by committing.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    private const string Held = "safestream-walk-lock-held";
    private readonly Process _process;

    private DatabaseLock(Process process) => _process = process;

    /// <summary>Takes the write lock of the SQLite file with the <c>sqlite3</c> shell.</summary>
    public static Task<DatabaseLock> SqliteAsync(string database) =>
        TakeAsync("sqlite3", [database], $"BEGIN IMMEDIATE;\n.print {Held}\n");

    /// <summary>Locks the event tables of a PostgreSQL database against writes with <c>psql</c>.</summary>
    public static Task<DatabaseLock> PostgresAsync(string connectionString)
    {
        var c = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return TakeAsync(
            File.Exists("/usr/lib/postgresql/15/bin/psql") ? "/usr/lib/postgresql/15/bin/psql" : "psql",
            ["-X", "-q", "-h", c.Host!, "-p", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", c.Username!, "-d", c.Database!],
            $"BEGIN;\nLOCK TABLE chat_messages, gifts, admin_actions IN EXCLUSIVE MODE;\n\\echo {Held}\n");
    }

    /// <summary>Commits the open transaction and waits for the process to end.</summary>
    public async Task ReleaseAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        await _process.StandardInput.WriteAsync("COMMIT;\n");
        _process.StandardInput.Close();
        await _process.WaitForExitAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<DatabaseLock> TakeAsync(string program, string[] args, string script)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var holder = new DatabaseLock(process);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteAsync(script);
        await process.StandardInput.FlushAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(Held, StringComparison.Ordinal))
            {
                return holder;
            }
        }

        await holder.DisposeAsync();
        throw new InvalidOperationException($"{program} did not take the lock: {await error}");
    }
}
