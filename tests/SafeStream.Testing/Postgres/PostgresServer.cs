using System.Diagnostics;
using Npgsql;

namespace SafeStream.Testing;

/// <summary>
/// The PostgreSQL 15 the tests run against: <c>SAFESTREAM_TEST_POSTGRES</c> (CI starts one and sets it), or else a
/// throwaway cluster that <c>scripts/postgres-dev.sh</c> starts once for this machine, so a plain <c>dotnet test</c>
/// runs the PostgreSQL tests too. Without either, the PostgreSQL tests fail saying how to get one: a run without
/// PostgreSQL is a failure, not a skip.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "SAFESTREAM_TEST_POSTGRES";

    private static readonly Lazy<string> Base = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>Host=…;Port=…;Username=…</c>, with no database: each test class makes its own.</summary>
    public static string ConnectionString => Base.Value;

    /// <summary>The connection string of <paramref name="database"/> on the test server.</summary>
    public static string Of(string database) => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Runs <c>scripts/postgres-dev.sh</c> with <paramref name="arguments"/> and answers what it printed.</summary>
    public static string Script(params string[] arguments)
    {
        // One script at a time on this machine: test processes that start at once would race for the same cluster.
        // -o: the lock's descriptor is not handed down, or a server the script starts would hold the lock for its life.
        var start = new ProcessStartInfo("flock") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(Path.Combine(Path.GetTempPath(), "safestream-test-postgres.lock"));
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "postgres-dev.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"scripts/postgres-dev.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        try
        {
            var line = Script("env").Trim();
            const string prefix = "export SAFESTREAM_TEST_POSTGRES=";
            return line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..].Trim('\'') : throw new InvalidOperationException($"unexpected output: {line}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a PostgreSQL 15: set {Variable} (e.g. eval \"$(scripts/postgres-dev.sh env)\"), or install postgresql-15 so the tests can start one ({ex.Message}).", ex);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeStream.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SafeStream.sln not found above the test's folder");
    }
}
