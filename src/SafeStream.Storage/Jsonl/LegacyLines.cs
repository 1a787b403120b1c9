using System.Globalization;
using System.Text;
using System.Text.Json;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// One chat-log line to or from an event. Lines are written in the two byte styles of the legacy writers (chat
/// compact with raw UTF-8; gifts and admin actions with spaces and <c>\u</c> escapes), plus our <c>id</c> and the
/// fields the legacy format lacks, only when set. A legacy line read and written again is the same bytes.
/// </summary>
internal static class LegacyLines
{
    public static string Format(StorageEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var sb = new StringBuilder(160);
        switch (e)
        {
            case ChatMessage m:
                sb.Append("{\"type\":\"chat\",\"user\":");
                PythonJson.WriteString(sb, m.User, ensureAscii: false);
                sb.Append(",\"message\":");
                PythonJson.WriteString(sb, m.Text, ensureAscii: false);
                sb.Append(",\"toxic\":").Append(m.Toxic ? "true" : "false");
                sb.Append(",\"score\":").Append(PythonJson.FormatFloat(m.Score));
                sb.Append(",\"ts\":\"").Append(PythonJson.FormatTimestamp(m.Ts)).Append('"');
                AppendId(sb, m.Id, ":");
                if (m.Blocked)
                {
                    sb.Append(",\"blocked\":true");
                }

                break;
            case Gift g:
                sb.Append("{\"type\": \"gift\", \"from\": ");
                PythonJson.WriteString(sb, g.From, ensureAscii: true);
                sb.Append(", \"gift_id\": ").Append(g.GiftId.ToString(CultureInfo.InvariantCulture));
                sb.Append(", \"amount\": ").Append(g.Amount.ToString(CultureInfo.InvariantCulture));
                sb.Append(", \"ts\": \"").Append(PythonJson.FormatTimestamp(g.Ts)).Append('"');
                AppendId(sb, g.Id, ": ");
                break;
            case AdminAction a:
                sb.Append("{\"type\": \"admin_action\", \"action\": ");
                PythonJson.WriteString(sb, a.Action, ensureAscii: true);
                sb.Append(", \"admin_user\": ");
                PythonJson.WriteString(sb, a.Admin, ensureAscii: true);
                if (a.Target is not null)
                {
                    sb.Append(", \"target_user\": ");
                    PythonJson.WriteString(sb, a.Target, ensureAscii: true);
                }

                sb.Append(", \"ts\": \"").Append(PythonJson.FormatTimestamp(a.Ts)).Append('"');
                AppendId(sb, a.Id, ": ");
                if (a.Details is not null)
                {
                    sb.Append(", \"details\": ");
                    PythonJson.WriteString(sb, a.Details, ensureAscii: true);
                }

                break;
            default:
                throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(e));
        }

        return sb.Append('}').ToString();
    }

    /// <summary>Parses one line (without its newline). Never throws for bad input: the reason comes back instead.</summary>
    public static LineParse Parse(ReadOnlySpan<byte> line)
    {
        LegacyLineDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(line, LegacyJsonContext.Default.LegacyLineDto);
        }
        catch (JsonException ex)
        {
            return LineParse.Fail(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // invalid UTF-8 surfaces here
            return LineParse.Fail(ex.Message);
        }

        return dto is null ? LineParse.Fail("the line is JSON null, not an object") : FromDto(dto);
    }

    private static LineParse FromDto(LegacyLineDto d)
    {
        var id = d.Id ?? 0;
        if (d.Id is not null && !EventIdGenerator.IsValid(id))
        {
            return LineParse.Fail($"id {d.Id} is not a positive integer below 2^53");
        }

        if (!LegacyTimestamp.TryParse(d.Ts ?? d.Timestamp, out var ts))
        {
            return LineParse.Fail(d.Ts is null && d.Timestamp is null ? "no ts" : $"ts '{d.Ts ?? d.Timestamp}' is not a timestamp");
        }

        var kind = d.Type ?? (d.Action is not null ? "admin_action" : d.GiftId is not null ? "gift" : "chat");
        switch (kind)
        {
            case "chat" or "message":
                var user = d.User ?? d.From;
                var text = d.Message ?? d.Msg;
                if (user is null || text is null)
                {
                    return LineParse.Fail("a chat line needs user and message");
                }

                var score = d.Score ?? 0.0;
                if (!double.IsFinite(score))
                {
                    return LineParse.Fail("score is not a finite number");
                }

                return LineParse.Ok(new ChatMessage(id, user, text, d.Toxic ?? false, score, d.Blocked ?? false, ts));
            case "gift":
                var from = d.From ?? d.FromUser ?? d.User;
                if (from is null || d.GiftId is not { } giftId || d.Amount is not { } amount)
                {
                    return LineParse.Fail("a gift line needs from, gift_id and amount");
                }

                if (giftId < 0 || amount < 1)
                {
                    return LineParse.Fail($"gift_id {giftId} must be >= 0 and amount {amount} >= 1");
                }

                return LineParse.Ok(new Gift(id, from, giftId, amount, ts));
            case "admin_action":
                if (d.Action is null || d.AdminUser is null)
                {
                    return LineParse.Fail("an admin_action line needs action and admin_user");
                }

                return LineParse.Ok(new AdminAction(id, d.AdminUser, d.Action, d.TargetUser, d.Details, ts));
            default:
                return LineParse.Fail($"unknown type '{kind}'");
        }
    }

    private static void AppendId(StringBuilder sb, long id, string separator)
    {
        if (id != 0)
        {
            sb.Append(separator == ":" ? ",\"id\":" : ", \"id\": ").Append(id.ToString(CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>The outcome of parsing one line: an event, or why there is none.</summary>
internal readonly record struct LineParse(StorageEvent? Event, string? Error)
{
    public static LineParse Ok(StorageEvent e) => new(e, null);

    public static LineParse Fail(string reason) => new(null, reason);
}
