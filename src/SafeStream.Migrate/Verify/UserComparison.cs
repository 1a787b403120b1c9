using System.Security.Cryptography;
using SafeStream.Migrate.Import;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Verify;

/// <summary>
/// users.json against the database's accounts. users.json is held in memory anyway (it is one JSON object), so the
/// database side is streamed against it. A password conflict settled with <c>import --conflicts keep-database</c>
/// is not a difference.
/// </summary>
internal sealed class UserComparison(MigrationDatabase store, string usersFile, int show)
{
    public async Task<KindComparison> CompareAsync(IReadOnlyDictionary<string, User> fileUsers, List<Finding> differences, List<Finding> databaseOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileUsers);
        var content = new RecordContent();
        var fileHashes = fileUsers.Values.ToDictionary(u => u.Username, content.Hash, StringComparer.Ordinal);
        var databaseHashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        long inDatabase = 0, matching = 0, different = 0, settled = 0, onlyInDatabase = 0;
        await foreach (var user in store.StreamUsersAsync(cancellationToken))
        {
            inDatabase++;
            if (!fileUsers.TryGetValue(user.Username, out var fromFile))
            {
                if (onlyInDatabase++ < show)
                {
                    databaseOnly.Add(new Finding("users", "database_only", null, null, null, user.Username));
                }

                continue;
            }

            var hash = content.Hash(user);
            databaseHashes[user.Username] = hash;
            if (hash.AsSpan().SequenceEqual(fileHashes[user.Username]))
            {
                matching++;
            }
            else if (await IsSettledAsync(fromFile, cancellationToken))
            {
                settled++;
            }
            else if (different++ < show)
            {
                differences.Add(new Finding("users", "different", usersFile, null, null, user.Username));
            }
        }

        var missing = fileUsers.Keys.Where(name => !databaseHashes.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        differences.AddRange(missing.Take(show).Select(name => new Finding("users", "missing_from_database", usersFile, null, null, name)));
        return new KindComparison("users", fileUsers.Count, inDatabase, matching, missing.Count, different, onlyInDatabase, settled, 0, Digest(fileHashes), Digest(databaseHashes));
    }

    // The operator chose the database's account as a whole; the decision holds while users.json still has the hash it overruled.
    private async Task<bool> IsSettledAsync(User fromFile, CancellationToken cancellationToken) =>
        await store.GetSettingAsync(ConflictRecord.Key(fromFile.Username), cancellationToken) == fromFile.PasswordHash;

    private static string Digest(Dictionary<string, byte[]> hashes)
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in hashes.Keys.Order(StringComparer.Ordinal))
        {
            digest.AppendData(hashes[name]);
        }

        return Convert.ToHexStringLower(digest.GetHashAndReset());
    }
}
