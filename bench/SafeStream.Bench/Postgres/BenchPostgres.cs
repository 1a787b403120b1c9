using System.Diagnostics;
using Npgsql;
using SafeStream.Bench.Load;

namespace SafeStream.Bench.Postgres;

/// <summary>
/// The PostgreSQL server a benchmark measures on: the one <c>--connection</c> names, else a throwaway cluster started
/// with <c>scripts/postgres-dev.sh</c> and stopped at the end. Each measurement gets a database of its own (dropped at
/// the end), so a figure never includes another's rows or bloat.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly string? _clusterFolder;
    private readonly List<string> _databases = [];

    private BenchPostgres(string connectionString, string? clusterFolder)
    {
        _server = new NpgsqlConnectionStringBuilder(connectionString) { Database = null };
        _clusterFolder = clusterFolder;
    }

    public string Describe => $"PostgreSQL at {_server.Host}:{_server.Port}" + (_clusterFolder is null ? "" : $" (throwaway cluster in {_clusterFolder}, fsync off)");

    /// <summary>The server <paramref name="connection"/> names, or a throwaway cluster when it is null.</summary>
    public static async Task<BenchPostgres> OpenAsync(string? connection, CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return new BenchPostgres(connection, null);
        }

        var folder = Path.Combine(Path.GetTempPath(), $"safestream-bench-pg-{Environment.ProcessId}");
        var output = await ScriptAsync(["start", "--dir", folder], cancellationToken);
        return new BenchPostgres(output.Split('\n')[0].Trim(), folder);
    }

    /// <summary>
    /// A connection string naming <paramref name="name"/>: a database that does not exist yet (the code measured creates
    /// it, as on a first start), or with <paramref name="empty"/> an empty one, as <c>createdb</c> leaves it.
    /// </summary>
    public async Task<string> FreshDatabaseAsync(string name, CancellationToken cancellationToken, bool empty = false)
    {
        await DropAsync(name, cancellationToken);
        _databases.Add(name);
        if (empty)
        {
            await MaintenanceAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _databases)
        {
            await DropAsync(name, CancellationToken.None);
        }

        if (_clusterFolder is not null)
        {
            await ScriptAsync(["stop", "--dir", _clusterFolder], CancellationToken.None);
        }
    }

    private async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await MaintenanceAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
    }

    private async Task MaintenanceAsync(string sql, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string> ScriptAsync(string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryFile.Find(Path.Combine("scripts", "postgres-dev.sh")));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run scripts/postgres-dev.sh");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres-dev.sh {string.Join(' ', args)} failed: {await error}");
        }

        return await output;
    }
}
