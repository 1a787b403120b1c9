using Npgsql;

namespace SafeStream.Storage.Cluster;

/// <summary>Each instance's viewers, a row per instance stamped with the database's clock (instances' clocks may differ).</summary>
internal sealed partial class PostgresClusterBus
{
    /// <summary>An instance whose last heartbeat is older than this no longer counts (it died).</summary>
    public const int AliveSeconds = 5;

    public async Task<int> BeatAsync(int viewers, int sockets, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO instance_presence (instance, viewers, sockets, seen_at) VALUES (@instance, @viewers, @sockets, now()) " +
            "ON CONFLICT (instance) DO UPDATE SET viewers = excluded.viewers, sockets = excluded.sockets, seen_at = excluded.seen_at; " +
            "SELECT coalesce(sum(viewers), 0)::int FROM instance_presence " +
            $"WHERE instance <> @instance AND seen_at > now() - interval '{AliveSeconds} seconds'",
            connection);
        command.Parameters.AddWithValue("instance", instance);
        command.Parameters.AddWithValue("viewers", viewers);
        command.Parameters.AddWithValue("sockets", sockets);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM instance_presence WHERE instance = @instance", connection);
        command.Parameters.AddWithValue("instance", instance);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
