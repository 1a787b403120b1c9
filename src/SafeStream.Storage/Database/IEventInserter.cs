namespace SafeStream.Storage.Database;

/// <summary>How a provider inserts the events of a batch inside the writer's transaction.</summary>
internal interface IEventInserter
{
    /// <summary>
    /// Inserts every op's events, skipping ids and source keys stored already; one <see cref="AppendResult"/> per op.
    /// An event not inserted whose id is stored with other content is an <see cref="IdConflict"/> of its op.
    /// </summary>
    IReadOnlyList<AppendResult> Insert(IReadOnlyList<AppendEvents> appends);
}
