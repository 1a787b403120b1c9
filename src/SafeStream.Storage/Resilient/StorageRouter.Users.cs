namespace SafeStream.Storage.Resilient;

public sealed partial class StorageRouter
{
    /// <summary>
    /// The usernames the active mode answers for, in ordinal order, for the admin command line's <c>list-users</c>:
    /// <c>users.json</c> in the file modes, the database in <c>DatabaseOnly</c>, both in <c>DatabaseFirst</c> (which reads
    /// legacy accounts from the file). Each account is then read with <see cref="FindUserAsync"/>, so the listing shows
    /// what the server would answer. Kept out of <see cref="IStorage"/>: only an operator's tool lists every account.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListUsernamesAsync(CancellationToken cancellationToken = default)
    {
        var mode = ActiveMode;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (mode != StorageMode.DatabaseOnly)
        {
            names.UnionWith(_context.Files.Usernames());
        }

        if (mode is StorageMode.DatabaseFirst or StorageMode.DatabaseOnly)
        {
            await foreach (var user in _context.Db.StreamUsersAsync(cancellationToken))
            {
                names.Add(user.Username);
            }
        }

        return [.. names];
    }
}
