using System.Data;
using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>The writer's look-up of a stored event by id, to tell a harmless repeat from an id taken by another event.</summary>
internal sealed class StoredEvents(WriterSession session)
{
    private readonly DbCommand _chat = session.Command("SELECT username, message, toxic, score, blocked, ts FROM chat_messages WHERE id = @id", ("id", DbType.Int64));
    private readonly DbCommand _gift = session.Command("SELECT from_user, gift_id, amount, ts FROM gifts WHERE id = @id", ("id", DbType.Int64));
    private readonly DbCommand _admin = session.Command("SELECT admin_user, action, target_user, details, ts FROM admin_actions WHERE id = @id", ("id", DbType.Int64));

    /// <summary>The event stored under <paramref name="like"/>'s id in its table, or null.</summary>
    public StorageEvent? Find(StorageEvent like, DbTransaction transaction)
    {
        var command = like switch
        {
            ChatMessage => _chat,
            Gift => _gift,
            _ => _admin,
        };
        WriterSession.SetValues(command, transaction, like.Id);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return like switch
        {
            ChatMessage => new ChatMessage(like.Id, r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetDouble(3), r.GetBoolean(4), Micros.FromUnix(r.GetInt64(5))),
            Gift => new Gift(like.Id, r.GetString(0), r.GetInt32(1), r.GetInt32(2), Micros.FromUnix(r.GetInt64(3))),
            _ => new AdminAction(like.Id, r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), Micros.FromUnix(r.GetInt64(4))),
        };
    }
}
