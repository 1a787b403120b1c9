using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>What an <see cref="AppendEvents"/> did: rows inserted, and ids found stored already with other content.</summary>
public sealed record AppendResult(int Inserted, IReadOnlyList<IdConflict> Conflicts)
{
    public static readonly AppendResult Nothing = new(0, []);
}

/// <summary>
/// An event whose id is stored already with different content: the new one was not stored. Ids are never reused,
/// so this means a bug or a store written by something else; it is reported, never dropped in silence.
/// </summary>
public sealed record IdConflict(StorageEvent Incoming, StorageEvent Stored);
