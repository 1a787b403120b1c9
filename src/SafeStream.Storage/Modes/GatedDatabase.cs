using SafeStream.Storage.Database;

namespace SafeStream.Storage.Modes;

/// <summary>The database as the modes call it: every call through the <see cref="DatabaseGate"/>, every answer noted.</summary>
internal sealed class GatedDatabase(DbStore store, DatabaseGate gate, OutageStatus status)
{
    public DbStore Store => store;

    public DatabaseGate Gate => gate;

    public OutageStatus Status => status;

    /// <summary>Calls the database through the gate and notes the answer; an outage is thrown for the mode to handle.</summary>
    public async Task<T> CallAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var result = await StartAsync(call, cancellationToken);
        status.DatabaseAnswered();
        return result;
    }

    /// <summary>Calls the database through the gate; the caller notes the answer (<see cref="OutageStatus.DatabaseAnswered"/>).</summary>
    public Task<T> StartAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        gate.RunAsync(ct => call(store, ct), cancellationToken);

    public Task StartAsync(Func<DbStore, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        gate.RunAsync(ct => call(store, ct), cancellationToken);
}
