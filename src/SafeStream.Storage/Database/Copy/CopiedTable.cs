namespace SafeStream.Storage.Database.Copy;

/// <summary>What one pass of <see cref="DatabaseCopy"/> did to one table.</summary>
/// <param name="Table">users, settings, chat_messages, gifts or admin_actions.</param>
/// <param name="InSource">Rows the source holds.</param>
/// <param name="Copied">Rows the target did not hold and now does.</param>
/// <param name="Updated">Accounts or settings the target held in an older state, brought up to the source's.</param>
/// <param name="Conflicts">Events whose id the target holds with other content: left as they are, and shown by the comparison.</param>
public sealed record CopiedTable(string Table, long InSource, long Copied, long Updated = 0, long Conflicts = 0);

/// <summary>One table of both databases compared row by row.</summary>
/// <param name="Differences">Rows missing on one side or different on both; <see cref="Examples"/> names the first few.</param>
public sealed record ComparedTable(string Table, long Source, long Target, long Differences, IReadOnlyList<string> Examples)
{
    public bool Equal => Differences == 0;
}
