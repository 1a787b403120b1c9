using Npgsql;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <content>One batch's events split by table, each bound to its statement by <see cref="PostgresTables"/>.</content>
internal sealed partial class PostgresInserter
{
    private sealed class Rows
    {
        public List<(ChatMessage, byte[]?)> Chat { get; } = [];

        public List<(Gift, byte[]?)> Gift { get; } = [];

        public List<(AdminAction, byte[]?)> Admin { get; } = [];

        public void Add(StorageEvent e, byte[]? key)
        {
            switch (e)
            {
                case ChatMessage m:
                    Chat.Add((m, key));
                    break;
                case Gift g:
                    Gift.Add((g, key));
                    break;
                case AdminAction a:
                    Admin.Add((a, key));
                    break;
                default:
                    throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(e));
            }
        }

        public void Bind(NpgsqlBatchCommand command, EventKind kind)
        {
            switch (kind)
            {
                case EventKind.Chat:
                    PostgresTables.Bind(command, kind, Chat);
                    break;
                case EventKind.Gift:
                    PostgresTables.Bind(command, kind, Gift);
                    break;
                default:
                    PostgresTables.Bind(command, kind, Admin);
                    break;
            }
        }
    }
}
