using SafeStream.Server.Hosting;

namespace SafeStream.Server.Tests.Hosting;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData(0, "2025-06-27T20:52:00Z")]
    [InlineData(1_234_560, "2025-06-27T20:52:00.123456Z")]
    [InlineData(5_000_000, "2025-06-27T20:52:00.500000Z")]
    public void TimesAreUtcWithMicrosecondsAndNoFractionWhenItIsZero(long ticks, string expected)
    {
        var time = new DateTimeOffset(2025, 6, 27, 22, 52, 0, TimeSpan.FromHours(2)).AddTicks(ticks);

        Assert.Equal(expected, WireFormat.FormatTime(time));
    }

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.6, "0.6")]
    [InlineData(0.95, "0.95")]
    [InlineData(1.2e-06, "1.2e-06")]
    [InlineData(25.0, "25.0")]
    public void FloatsLookAsPythonWritesThem(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[40];

        var written = WireFormat.FormatFloat(value, buffer);

        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(buffer[..written]));
    }
}
