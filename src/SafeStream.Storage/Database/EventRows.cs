using System.Data.Common;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>A row of one of the three event tables; <see cref="SourceKey"/> is set only for imported legacy lines.</summary>
internal interface IEventRow
{
    long Id { get; }

    byte[]? SourceKey { get; }

    StorageEvent ToEvent();
}

internal sealed class ChatMessageRow : IEventRow
{
    /// <summary>The columns read back in raw SQL (the writer's look-up by id), in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "username, message, toxic, score, blocked, ts";

    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string Username { get; set; }

    public required string Message { get; set; }

    public bool Toxic { get; set; }

    public double Score { get; set; }

    public bool Blocked { get; set; }

    public long Ts { get; set; }

    public static ChatMessageRow Read(long id, DbDataReader r) => new()
    {
        Id = id,
        Username = r.GetString(0),
        Message = r.GetString(1),
        Toxic = r.GetBoolean(2),
        Score = r.GetDouble(3),
        Blocked = r.GetBoolean(4),
        Ts = r.GetInt64(5),
    };

    public ChatMessage ToMessage() =>
        new(Id, User: Username, Text: Message, Toxic: Toxic, Score: Score, Blocked: Blocked, Ts: Micros.FromUnix(Ts));

    public StorageEvent ToEvent() => ToMessage();
}

internal sealed class GiftRow : IEventRow
{
    public const string Columns = "from_user, gift_id, amount, ts";

    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string FromUser { get; set; }

    public int GiftId { get; set; }

    public int Amount { get; set; }

    public long Ts { get; set; }

    public static GiftRow Read(long id, DbDataReader r) => new()
    {
        Id = id,
        FromUser = r.GetString(0),
        GiftId = r.GetInt32(1),
        Amount = r.GetInt32(2),
        Ts = r.GetInt64(3),
    };

    public Gift ToGift() => new(Id, From: FromUser, GiftId: GiftId, Amount: Amount, Ts: Micros.FromUnix(Ts));

    public StorageEvent ToEvent() => ToGift();
}

internal sealed class AdminActionRow : IEventRow
{
    public const string Columns = "admin_user, action, target_user, details, ts";

    public long Id { get; set; }

    public byte[]? SourceKey { get; set; }

    public required string AdminUser { get; set; }

    public required string Action { get; set; }

    public string? TargetUser { get; set; }

    public string? Details { get; set; }

    public long Ts { get; set; }

    public static AdminActionRow Read(long id, DbDataReader r) => new()
    {
        Id = id,
        AdminUser = r.GetString(0),
        Action = r.GetString(1),
        TargetUser = r.IsDBNull(2) ? null : r.GetString(2),
        Details = r.IsDBNull(3) ? null : r.GetString(3),
        Ts = r.GetInt64(4),
    };

    public AdminAction ToAction() => new(Id, Admin: AdminUser, Action: Action, Target: TargetUser, Details: Details, Ts: Micros.FromUnix(Ts));

    public StorageEvent ToEvent() => ToAction();
}
