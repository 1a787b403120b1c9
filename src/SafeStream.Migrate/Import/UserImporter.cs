using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Import;

/// <summary>
/// users.json into the database: accounts keep their bcrypt hash, <c>disabled</c> becomes inactive, a missing email
/// stays null. An account already in the database with the same hash is already imported; with a different hash it
/// is a conflict, never silently overwritten (legacy hole 2: two passwords for one name).
/// </summary>
internal sealed class UserImporter(MigrationDatabase store, ConflictPolicy policy, TimeProvider time)
{
    private const int BatchSize = 1000;
    private const int ListedConflicts = 100;

    public async Task<UserCounts> RunAsync(IReadOnlyDictionary<string, User> fileUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileUsers);
        var tally = new Tally();

        // One pass over the database's accounts finds those already there, rather than one query per user.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var existing in store.StreamUsersAsync(cancellationToken))
        {
            if (fileUsers.TryGetValue(existing.Username, out var fromFile))
            {
                seen.Add(existing.Username);
                await CompareAsync(fromFile, existing, tally, cancellationToken);
            }
        }

        foreach (var chunk in fileUsers.Values.Where(u => !seen.Contains(u.Username)).Chunk(BatchSize))
        {
            var creates = chunk.Select(u => new CreateUser(u)).ToArray();
            var results = await store.ExecuteAsync(creates, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results.Of(creates[i]))
                {
                    tally.Created++;
                }
                else if (await store.FindUserAsync(chunk[i].Username, cancellationToken) is { } raced)
                {
                    // registered by the running server since the pass above
                    await CompareAsync(chunk[i], raced, tally, cancellationToken);
                }
            }
        }

        return new UserCounts(fileUsers.Count, tally.Created, tally.AlreadyPresent, tally.Conflicting.Count, tally.KeptDatabase, tally.TookFile, [.. tally.Conflicting.Take(ListedConflicts)]);
    }

    private async Task CompareAsync(User fromFile, User existing, Tally tally, CancellationToken cancellationToken)
    {
        if (string.Equals(fromFile.PasswordHash, existing.PasswordHash, StringComparison.Ordinal))
        {
            tally.AlreadyPresent++;
            return;
        }

        switch (policy)
        {
            case ConflictPolicy.KeepDatabase:
                await store.ExecuteAsync(new PutSetting(ConflictRecord.Key(fromFile.Username), fromFile.PasswordHash, time.GetUtcNow()), cancellationToken);
                tally.KeptDatabase++;
                break;
            case ConflictPolicy.TakeFile:
                await store.ExecuteAsync(new PatchUser(fromFile.Username, new UserPatch { PasswordHash = fromFile.PasswordHash }, time.GetUtcNow()), cancellationToken);
                tally.TookFile++;
                break;
            default:
                tally.Conflicting.Add(fromFile.Username);
                break;
        }
    }

    private sealed class Tally
    {
        public long Created { get; set; }

        public long AlreadyPresent { get; set; }

        public long KeptDatabase { get; set; }

        public long TookFile { get; set; }

        public List<string> Conflicting { get; } = [];
    }
}
