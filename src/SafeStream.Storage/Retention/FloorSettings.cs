using System.Data.Common;
using System.Globalization;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Retention;

/// <summary>
/// The database's retention floor, kept as two rows of the <c>settings</c> table (microseconds since the epoch), so
/// every process on the database (a second instance, the migration tool) reads the same one. It only rises.
/// </summary>
internal static class FloorSettings
{
    public const string ChatKey = "retention.chat_pruned_before";
    public const string GiftsKey = "retention.gifts_pruned_before";

    public const string Select = $"SELECT key, value FROM settings WHERE key IN ('{ChatKey}', '{GiftsKey}')";

    /// <summary>Raises one kind's floor; a lower value than the stored one changes nothing. Both providers accept it.</summary>
    public const string Raise =
        "INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @at) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at " +
        "WHERE CAST(excluded.value AS BIGINT) > CAST(settings.value AS BIGINT)";

    /// <summary>The SQL expression of one kind's floor, for PostgreSQL's insert statements (the lowest bigint when unset).</summary>
    public static string Expression(EventKind kind) =>
        $"COALESCE((SELECT CAST(value AS BIGINT) FROM settings WHERE key = '{(kind == EventKind.Chat ? ChatKey : GiftsKey)}'), -9223372036854775808)";

    /// <summary>Reads the floor with a command of <see cref="Select"/> (prepared by the caller), inside <paramref name="transaction"/>.</summary>
    public static RetentionFloor Read(DbCommand select, DbTransaction? transaction)
    {
        select.Transaction = transaction;
        using var reader = select.ExecuteReader();
        return Read(reader);
    }

    public static async Task<RetentionFloor> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Select;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return Read(reader);
    }

    public static string Format(DateTimeOffset at) => Micros.ToUnix(at).ToString(CultureInfo.InvariantCulture);

    private static RetentionFloor Read(DbDataReader reader)
    {
        DateTimeOffset? chat = null, gifts = null;
        while (reader.Read())
        {
            if (!long.TryParse(reader.GetString(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
            {
                continue; // not ours to interpret: the floor stays where the valid row puts it
            }

            if (reader.GetString(0) == ChatKey)
            {
                chat = Micros.FromUnix(micros);
            }
            else
            {
                gifts = Micros.FromUnix(micros);
            }
        }

        return new RetentionFloor(chat, gifts);
    }
}
