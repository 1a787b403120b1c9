using System.Text;
using System.Text.Json;

namespace SafeStream.Migrate.Legacy;

/// <summary>
/// Recognises the journal's non-event lines (<c>user</c>, <c>user_patch</c>, <c>setting</c>). The tool leaves them to
/// the server's replayer: a patch is an absolute value, and replaying an old one after the replayer moved past it
/// could undo a later change. Events are different: their ids make a second insert a no-op.
/// </summary>
internal static class JournalWrites
{
    public static bool IsWrite(string? raw)
    {
        if (raw is null)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(raw));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String
                        && (reader.ValueTextEquals("user"u8) || reader.ValueTextEquals("user_patch"u8) || reader.ValueTextEquals("setting"u8));
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // a torn or malformed line: a reject like any other
        }

        return false;
    }
}
