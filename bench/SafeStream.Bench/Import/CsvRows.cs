using System.Globalization;
using System.Text;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Import;

/// <summary>The rows an import inserts, one CSV per table, columns in the tables' order, for <c>sqlite3 .import</c>.</summary>
internal sealed class CsvRows : IDisposable
{
    private readonly StreamWriter _chat;
    private readonly StreamWriter _gifts;
    private readonly StreamWriter _admin;

    public CsvRows(string folder)
    {
        _chat = Open(folder, "chat_messages", "id,source_key,username,message,toxic,score,blocked,ts");
        _gifts = Open(folder, "gifts", "id,source_key,from_user,gift_id,amount,ts");
        _admin = Open(folder, "admin_actions", "id,source_key,admin_user,action,target_user,details,ts");
    }

    public static IReadOnlyList<string> Tables => ["chat_messages", "gifts", "admin_actions"];

    public void Add(long id, byte[] sourceKey, StorageEvent e)
    {
        // sqlite3 .import cannot load a BLOB from CSV: the key goes in as hex text, the same 36 bytes' worth of index.
        var key = Convert.ToHexString(sourceKey);
        var ts = Micros.ToUnix(e.Ts).ToString(CultureInfo.InvariantCulture);
        var (writer, fields) = e switch
        {
            ChatMessage m => (_chat, new[] { Quote(m.User), Quote(m.Text), m.Toxic ? "1" : "0", m.Score.ToString("R", CultureInfo.InvariantCulture), m.Blocked ? "1" : "0" }),
            Gift g => (_gifts, new[] { Quote(g.From), g.GiftId.ToString(CultureInfo.InvariantCulture), g.Amount.ToString(CultureInfo.InvariantCulture) }),
            AdminAction a => (_admin, new[] { Quote(a.Admin), Quote(a.Action), a.Target is null ? "" : Quote(a.Target), "" }),
            _ => throw new ArgumentException("unknown kind", nameof(e)),
        };
        writer.Write(id.ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        writer.Write(key);
        foreach (var field in fields)
        {
            writer.Write(',');
            writer.Write(field);
        }

        writer.Write(',');
        writer.Write(ts);
        writer.Write('\n');
    }

    public void Dispose()
    {
        _chat.Dispose();
        _gifts.Dispose();
        _admin.Dispose();
    }

    private static StreamWriter Open(string folder, string table, string header)
    {
        var writer = new StreamWriter(Path.Combine(folder, table + ".csv"), false, new UTF8Encoding(false), 1 << 16);
        writer.Write(header);
        writer.Write('\n');
        return writer;
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
