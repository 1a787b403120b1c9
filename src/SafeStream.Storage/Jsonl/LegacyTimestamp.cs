using System.Globalization;

namespace SafeStream.Storage.Jsonl;

/// <summary>Reads the timestamp forms the legacy files hold: with or without a fraction (any length), <c>Z</c> or an offset, or none (UTC).</summary>
internal static class LegacyTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // More than seven fraction digits (nanoseconds) would not parse; the legacy writer never went past six.
        return DateTimeOffset.TryParseExact(
            text,
            Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }
}
