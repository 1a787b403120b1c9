namespace SafeStream.Storage.Database;

/// <summary>How a provider inserts the events of a batch inside the writer's transaction.</summary>
internal interface IEventInserter
{
    /// <summary>
    /// Inserts every op's events, skipping ids and source keys stored already; one <see cref="AppendResult"/> per op.
    /// An event not inserted whose id is stored with other content is an <see cref="IdConflict"/> of its op.
    /// </summary>
    IReadOnlyList<AppendResult> Insert(IReadOnlyList<AppendEvents> appends);

    /// <summary>
    /// <see cref="Insert"/> as the last writes of the writer's transaction: the inserter may commit the transaction
    /// itself, in the round trip of its own statements, and answers whether it did.
    /// </summary>
    (IReadOnlyList<AppendResult> Results, bool Committed) InsertLast(IReadOnlyList<AppendEvents> appends) => (Insert(appends), false);
}
