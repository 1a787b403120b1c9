using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace SafeStream.Server.Hosting;

/// <summary>How times and floats look on the wire: as the legacy Python service wrote them.</summary>
internal static class WireFormat
{
    /// <summary>UTC <c>YYYY-MM-DDTHH:MM:SS.ffffffZ</c>; the fraction is omitted when zero, as <c>isoformat()</c> does.</summary>
    public static string FormatTime(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..FormatTime(value, buffer)]);
    }

    public static int FormatTime(DateTimeOffset value, Span<char> destination)
    {
        var utc = value.UtcDateTime;
        var format = utc.Ticks % TimeSpan.TicksPerSecond / 10 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
        utc.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>Any ISO 8601 time, as UTC (one without an offset is taken as UTC); null for none, or for text that is no time.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    /// <summary>A float as Python's <c>json.dumps</c> writes it: always with a fraction or an exponent (<c>0.0</c>, <c>1e-06</c>).</summary>
    public static int FormatFloat(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no NaN or infinity.");
        }

        Utf8Formatter.TryFormat(value, destination, out var written, new StandardFormat('R'));
        var digits = destination[..written];
        var exponent = digits.IndexOf((byte)'E');
        if (exponent >= 0)
        {
            digits[exponent] = (byte)'e';
            return written;
        }

        if (digits.IndexOf((byte)'.') >= 0)
        {
            return written;
        }

        ".0"u8.CopyTo(destination[written..]);
        return written + 2;
    }
}
