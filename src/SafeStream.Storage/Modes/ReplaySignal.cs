namespace SafeStream.Storage.Modes;

/// <summary>
/// The one way to ask for a replay before its next round: the database answered while journalled writes wait, or
/// its breaker closed again. The hosted service awaits it between rounds.
/// </summary>
internal sealed class ReplaySignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Request()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // asked already, not served yet
        }
    }

    /// <summary>Waits until a replay is asked for, or <paramref name="interval"/> passed; true when asked.</summary>
    public Task<bool> WaitAsync(TimeSpan interval, CancellationToken cancellationToken) => _wake.WaitAsync(interval, cancellationToken);

    public void Dispose() => _wake.Dispose();
}
