using System.Text;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Tests.Chat;

public sealed class InboundFrameTests
{
    [Theory]
    [InlineData("{\"type\":\"chat\",\"message\":\"hi\"}", "hi")]
    [InlineData("{\"message\":\"hi\"}", "hi")]
    [InlineData("{\"message\":\"hi\",\"type\":\"chat\"}", "hi")]
    [InlineData(" {\"message\":\"caf\\u00e9\"} ", "café")]
    public void TheChatFrameIsAccepted(string frame, string expected)
    {
        var message = InboundFrame.Parse(Encoding.UTF8.GetBytes(frame), 500, out var error);

        Assert.Null(error);
        Assert.Equal(expected, message);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("null", "expected a JSON object")]
    [InlineData("{\"message\":\"hi\"} {}", "not valid JSON")]
    [InlineData("{\"message\":\"hi\",\"extra\":{\"a\":1}}", "unknown field 'extra'")]
    [InlineData("{\"type\":null,\"message\":\"hi\"}", "type must be \"chat\"")]
    [InlineData("{\"message\":[\"hi\"]}", "message must be a string")]
    [InlineData("{\"message\":\"\\udc00x\"}", "lone surrogate")]
    [InlineData("{\"message\":\"\\t\\n \"}", "must not be empty")]
    [InlineData("{\"message\":\"a\\u0000b\"}", "must not contain U+0000")]
    [InlineData("{\"message\":\"123456\"}", "longer than 5 characters")]
    public void AnythingElseIsRefusedWithAReason(string frame, string reason)
    {
        var message = InboundFrame.Parse(Encoding.UTF8.GetBytes(frame), 5, out var error);

        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthCountsCharactersAsPythonDoesNotUtf16Units()
    {
        var fiveEmoji = Encoding.UTF8.GetBytes("{\"message\":\"😀😀😀😀😀\"}");

        Assert.NotNull(InboundFrame.Parse(fiveEmoji, 5, out _));
    }

    [Fact]
    public void AnUnknownFieldIsQuotedShortAndEscapedHoweverLongOrStrangeItsName()
    {
        var name = "a\\u0000\\u001b[2J" + string.Concat(Enumerable.Repeat("\u0378", 4000)); // NUL, an escape sequence, unassigned
        var frame = Encoding.UTF8.GetBytes($"{{\"message\":\"hi\",\"{name}\":1}}");

        InboundFrame.Parse(frame, 500, out var error);
        var reply = Frames.Invalid(error!);

        Assert.StartsWith("unknown field 'a\\u0000\\u001B[2J\\u0378", error, StringComparison.Ordinal);
        Assert.EndsWith("…'", error, StringComparison.Ordinal);
        Assert.True(reply.Length < 160, $"the reply is {reply.Length} bytes");
    }

    [Fact]
    public void AQuoteKeepsPrintableTextAndSurrogatePairsWhole()
    {
        Assert.Equal("café 😀", InboundFrame.Quote("café 😀"));
        Assert.Equal(new string('x', InboundFrame.MaxQuoteChars) + "…", InboundFrame.Quote(new string('x', 1000)));
        Assert.Equal("\\uD800x", InboundFrame.Quote("\ud800x"));
        Assert.Equal("\\u202E", InboundFrame.Quote("\u202e")); // a right-to-left override would flip the rest of the line
    }
}
