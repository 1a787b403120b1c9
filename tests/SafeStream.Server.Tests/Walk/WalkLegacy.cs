using System.Globalization;
using System.Text;

namespace SafeStream.Server.Tests.Walk;

/// <summary>
/// The legacy folder the walk starts from: the sample's awkward cases (rotated logs, a line that is not JSON, a
/// truncated last line, escaped and raw UTF-8, a disabled account) plus a day of chat where every fifth message holds
/// U+0000, as the legacy service stored whatever a client sent, and a line whose user name holds one (garbage).
/// </summary>
public static class WalkLegacy
{
    public const int NulMessages = 12;

    /// <summary>Accounts of the sample's <c>users.json</c> and their legacy passwords (carol is disabled).</summary>
    public static readonly (string User, string Password)[] Users = [("alice", "secret123"), ("bob", "hunter22"), ("José", "secret123")];

    public static void Lay(TempFolder dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var logs = Path.Combine(dir.CopyLegacySample(), "logs");
        var older = new StringBuilder();
        var newer = new StringBuilder();
        for (var n = 0; n < NulMessages * 5; n++)
        {
            var text = n % 5 == 0 ? $"zero\\u0000byte {n}" : $"legacy day {n}";
            var user = n % 2 == 0 ? "bob" : "alice";
            var line = $$"""{"type":"chat","user":"{{user}}","message":"{{text}}","toxic":false,"score":0.01,"ts":"2025-06-29T10:{{n / 60:00}}:{{n % 60:00}}.{{n:000000}}Z"}""";
            (n < 30 ? older : newer).Append(line).Append('\n');
        }

        newer.Append(CultureInfo.InvariantCulture, $$"""{"type": "gift", "from": "bob", "gift_id": 1, "amount": 4, "ts": "2025-06-29T11:00:00Z"}""").Append('\n');
        newer.Append("""{"type":"chat","user":"b\u0000b","message":"a name with NUL","toxic":false,"score":0.0,"ts":"2025-06-29T11:00:01Z"}""").Append('\n');
        newer.Append("""{"type":"chat","user":"alice","message":"cut off mid-wri""");
        File.WriteAllText(Path.Combine(logs, "chat_2025-06-29.jsonl.1"), older.ToString());
        File.WriteAllText(Path.Combine(logs, "chat_2025-06-29.jsonl"), newer.ToString());
    }
}
