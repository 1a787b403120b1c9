namespace SafeStream.Storage.Model;

/// <summary>Timestamps are kept in UTC at microsecond precision, the resolution of the legacy files.</summary>
public static class Micros
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static long ToUnix(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromUnix(long micros) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
