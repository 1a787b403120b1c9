using SafeStream.Storage.Database;

namespace SafeStream.Storage.Modes;

// What a one-off command (the admin command line) needs beyond IStorage.
internal sealed partial class StorageRouter
{
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveMode == StorageMode.JsonlOnly)
        {
            return;
        }

        try
        {
            await Replayer.WarmUpAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            _stack.Db.Status.Failed(ex);
            if (ActiveMode != StorageMode.DatabaseFirst || ex is DatabaseMissingException)
            {
                throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
            }
        }
    }

    public async Task<IReadOnlyList<string>> ListUsernamesAsync(CancellationToken cancellationToken = default)
    {
        var mode = ActiveMode;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (mode != StorageMode.DatabaseOnly)
        {
            names.UnionWith(_stack.Files.Usernames());
        }

        if (mode is StorageMode.DatabaseFirst or StorageMode.DatabaseOnly)
        {
            try
            {
                names.UnionWith((await Db.UsernamesAfterAsync(0, cancellationToken)).Names);
            }
            catch (Exception ex) when (DatabaseGate.IsOutage(ex))
            {
                throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
            }
        }

        return [.. names];
    }
}
