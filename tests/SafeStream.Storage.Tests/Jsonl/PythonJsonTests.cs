using System.Text;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Tests.Jsonl;

/// <summary>Expected strings are what CPython 3.11 prints for the same values (json.dumps / repr / isoformat).</summary>
public sealed class PythonJsonTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(10.0, "10.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.2e-06, "1.2e-06")]
    [InlineData(0.9731582403182983, "0.9731582403182983")]
    [InlineData(0.0006813854561187327, "0.0006813854561187327")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345678901234568e+17, "1.2345678901234568e+17")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void FloatsAreWrittenAsPythonRepr(double value, string expected) =>
        Assert.Equal(expected, PythonJson.FormatFloat(value));

    [Fact]
    public void NanAndInfinityAreRefusedBecauseJsonHasNoSuchNumbers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PythonJson.FormatFloat(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => PythonJson.FormatFloat(double.PositiveInfinity));
    }

    [Theory]
    [InlineData("José ☕ 😀", false, "\"José ☕ 😀\"")]
    [InlineData("José ☕ 😀", true, "\"Jos\\u00e9 \\u2615 \\ud83d\\ude00\"")]
    [InlineData("a\"b\\c\nd\re\tf\bg\fh\u0001i\u007f", false, "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\u007f\"")]
    [InlineData("del\u007f", true, "\"del\\u007f\"")]
    [InlineData("</script> & '", true, "\"</script> & '\"")]
    public void StringsAreEscapedAsPythonJsonDumps(string value, bool ensureAscii, string expected)
    {
        var sb = new StringBuilder();

        PythonJson.WriteString(sb, value, ensureAscii);

        Assert.Equal(expected, sb.ToString());
    }

    [Fact]
    public void ALoneSurrogateIsEscapedBecauseUtf8CannotHoldIt()
    {
        var sb = new StringBuilder();

        PythonJson.WriteString(sb, "lone " + (char)0xD800 + " surrogate", ensureAscii: false);

        Assert.Equal("\"lone \\ud800 surrogate\"", sb.ToString());
    }

    [Fact]
    public void TimestampsAreIsoformatWithZAndNoFractionWhenItIsZero()
    {
        var whole = new DateTimeOffset(2025, 6, 27, 20, 52, 0, TimeSpan.Zero);

        Assert.Equal("2025-06-27T20:52:00Z", PythonJson.FormatTimestamp(whole));
        Assert.Equal("2025-06-27T20:52:00.000001Z", PythonJson.FormatTimestamp(whole.AddTicks(10)));
        Assert.Equal("2025-06-27T20:52:00.500000Z", PythonJson.FormatTimestamp(whole.AddMilliseconds(500)));
        Assert.Equal("2025-06-27T18:52:00Z", PythonJson.FormatTimestamp(new DateTimeOffset(2025, 6, 27, 20, 52, 0, TimeSpan.FromHours(2))));
    }
}
