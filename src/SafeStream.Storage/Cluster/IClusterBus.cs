using SafeStream.Storage.Model;

namespace SafeStream.Storage.Cluster;

/// <summary>
/// The other server instances on the same database, reached through the database itself (PostgreSQL only): the live
/// events they stored, and how many viewers they have. With SQLite or a file mode there are none (<see cref="Enabled"/>
/// is false), and nothing here touches storage.
/// </summary>
public interface IClusterBus
{
    /// <summary>Whether other instances can share this database (the provider is PostgreSQL).</summary>
    bool Enabled { get; }

    /// <summary>This instance's number (its event ids carry it).</summary>
    int Instance { get; }

    /// <summary>The fan-out listener, for <c>/healthz</c>.</summary>
    FanoutStatus Status { get; }

    /// <summary>
    /// Hands <paramref name="deliver"/> every live event another instance stores from now on, in commit order, each
    /// once, until cancelled: LISTEN as the wake-up, then a read by cursor. A dropped connection is reopened and the
    /// read resumes from the cursor, so nothing is missed. Returns at once when <see cref="Enabled"/> is false.
    /// </summary>
    Task ListenAsync(Func<IReadOnlyList<StorageEvent>, CancellationToken, Task> deliver, CancellationToken cancellationToken);

    /// <summary>Records this instance's viewers and answers the viewers of the other instances alive in the last few seconds.</summary>
    Task<int> BeatAsync(int viewers, int sockets, CancellationToken cancellationToken);

    /// <summary>Stops counting this instance (a clean shutdown; a crashed one ages out).</summary>
    Task LeaveAsync(CancellationToken cancellationToken);
}

/// <summary>The fan-out listener's state.</summary>
/// <param name="State"><c>off</c> (single instance), <c>connecting</c>, <c>listening</c> or <c>reconnecting</c>.</param>
/// <param name="Cursor">The last fan-out row read (its sequence number).</param>
/// <param name="LagMs">How old the last row was when it was read, in milliseconds (by the database's clock).</param>
/// <param name="Reconnects">Times the listening connection was lost and opened again.</param>
/// <param name="LastError">Why it was lost the last time.</param>
public sealed record FanoutStatus(string State, long? Cursor, double? LagMs, long Reconnects, string? LastError)
{
    public static FanoutStatus Off { get; } = new("off", null, null, 0, null);
}

/// <summary>No other instances: SQLite, one server.</summary>
internal sealed class SingleInstance(int instance) : IClusterBus
{
    public bool Enabled => false;

    public int Instance => instance;

    public FanoutStatus Status => FanoutStatus.Off;

    public Task ListenAsync(Func<IReadOnlyList<StorageEvent>, CancellationToken, Task> deliver, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> BeatAsync(int viewers, int sockets, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task LeaveAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
