namespace SafeStream.Storage.Jsonl;

internal sealed partial class JsonlStore
{
    /// <summary>Every username in <c>users.json</c> (the admin command line lists accounts with it).</summary>
    internal IReadOnlyList<string> Usernames()
    {
        lock (_lock)
        {
            return [.. Users().Keys];
        }
    }
}
