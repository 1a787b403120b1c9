using System.Data;
using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>The writer's look-up of a stored event by id, to tell a harmless repeat from an id taken by another event.</summary>
internal sealed class StoredEvents(WriterSession session)
{
    private readonly DbCommand _chat = session.Command($"SELECT {ChatMessageRow.Columns} FROM chat_messages WHERE id = @id", ("id", DbType.Int64));
    private readonly DbCommand _gift = session.Command($"SELECT {GiftRow.Columns} FROM gifts WHERE id = @id", ("id", DbType.Int64));
    private readonly DbCommand _admin = session.Command($"SELECT {AdminActionRow.Columns} FROM admin_actions WHERE id = @id", ("id", DbType.Int64));

    /// <summary>The event stored under <paramref name="like"/>'s id in its table, or null.</summary>
    public StorageEvent? Find(StorageEvent like)
    {
        var command = like switch
        {
            ChatMessage => _chat,
            Gift => _gift,
            _ => _admin,
        };
        session.SetValues(command, like.Id);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return like switch
        {
            ChatMessage => ChatMessageRow.Read(like.Id, r).ToEvent(),
            Gift => GiftRow.Read(like.Id, r).ToEvent(),
            _ => AdminActionRow.Read(like.Id, r).ToEvent(),
        };
    }
}
